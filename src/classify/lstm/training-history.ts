import { Wasm2VecError, invalidOption } from '../../errors.js';
import { boolOption, enumOption, intOption, numberOption, knownOptions } from '../../options.js';

/** One epoch of TextClassifier.fit, like a Keras History entry (epochs counted from 1 per fit call). */
export interface TextClassifierEpochLogs {
  epoch: number;
  /** Mean training loss over the epoch's samples (each batch's loss at the weights it was computed with). */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Wall seconds of the epoch (training and validation). */
  seconds: number;
}

export interface TextClassifierBatchLogs {
  epoch: number;
  /** 1-based batch number within the epoch. */
  batch: number;
  batches: number;
  size: number;
  loss: number;
  accuracy: number;
}

export type MonitoredMetric = 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy';

export interface TextClassifierEarlyStoppingOptions {
  /** Default 'valLoss' (Keras' val_loss); losses must fall, accuracies rise. */
  monitor?: MonitoredMetric;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
}

/** Keras' EarlyStopping: tracks the monitored metric and says when to stop. */
export class EarlyStopping {
  readonly monitor: MonitoredMetric;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  private best = Infinity;
  private wait = 0;
  bestEpoch = 0;

  constructor(options: TextClassifierEarlyStoppingOptions, hasValidation: boolean) {
    if (typeof options !== 'object' || options === null)
      invalidOption('earlyStopping', options, 'an object { monitor?, patience?, minDelta?, restoreBestWeights? }');
    knownOptions('earlyStopping', options, ['monitor', 'patience', 'minDelta', 'restoreBestWeights']);
    this.monitor = enumOption<MonitoredMetric>('earlyStopping.monitor', options.monitor, 'valLoss', ['loss', 'accuracy', 'valLoss', 'valAccuracy']);
    this.patience = intOption('earlyStopping.patience', options.patience, 0, 0);
    this.minDelta = Math.abs(numberOption('earlyStopping.minDelta', options.minDelta, 0, -Infinity));
    this.restoreBestWeights = boolOption('earlyStopping.restoreBestWeights', options.restoreBestWeights, false);
    if (this.monitor.startsWith('val') && !hasValidation) {
      throw new Wasm2VecError('INVALID_OPTION', `option earlyStopping.monitor: "${this.monitor}" needs validation data (validationSplit or validationData)`);
    }
  }

  /** Records an epoch; returns whether it improved on the best so far and whether to stop now. */
  update(logs: TextClassifierEpochLogs): { improved: boolean; stop: boolean } {
    const raw = logs[this.monitor] as number;
    // Minimise losses; maximise accuracies by minimising their negation.
    const value = this.monitor.endsWith('ccuracy') ? -raw : raw;
    if (value + this.minDelta < this.best) {
      this.best = value;
      this.bestEpoch = logs.epoch;
      this.wait = 0;
      return { improved: true, stop: false };
    }
    this.wait++;
    return { improved: false, stop: this.wait >= this.patience };
  }
}
