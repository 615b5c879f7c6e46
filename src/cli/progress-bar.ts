/** A one-line progress bar on a TTY (stderr); silent when output is piped. */
export function progressBar(io: { err: (s: string) => void; tty: boolean }): { update(fraction: number, text: string): void; done(): void } {
  let last = '';
  return {
    update(fraction, text) {
      if (!io.tty) return;
      const width = 30;
      const f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * width);
      const line = `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(1).padStart(5)}% ${text}`;
      if (line !== last) io.err(line.padEnd(last.length));
      last = line;
    },
    done() {
      if (io.tty && last) io.err('\n');
      last = '';
    },
  };
}
