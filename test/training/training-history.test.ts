import { describe, expect, it } from 'vitest';
import { historyFromTraining } from '../../src/training/training-history.js';

describe('historyFromTraining', () => {
  it('reads the GPU trainer\'s rows', () => {
    const history = historyFromTraining({
      history: [{ t: 20, step: 421, epoch: 2, chars: 16_130_304, train_loss: 1.76, lr: 0.003, val_loss: 1.69, val_bpc: 2.43, val_accuracy: 0.49 }],
    });
    expect(history).toEqual([{ step: 421, charsSeen: 16_130_304, trainLoss: 1.76, validLoss: 1.69, validAccuracy: 0.49 }]);
  });

  it('reads npm run train\'s records', () => {
    const history = historyFromTraining({
      history: [
        { step: 5, charsSeen: 3200, trainLoss: 3.1, trainAccuracy: 0.2, epoch: 0, learningRate: 0.002, at: 'x' },
        { step: 10, charsSeen: 6400, trainLoss: 2.8, validLoss: 2.9, validAccuracy: 0.25, epoch: 1, learningRate: 0.002, at: 'y' },
      ],
    });
    expect(history).toEqual([
      { step: 5, charsSeen: 3200, trainLoss: 3.1, trainAccuracy: 0.2 },
      { step: 10, charsSeen: 6400, trainLoss: 2.8, validLoss: 2.9, validAccuracy: 0.25 },
    ]);
  });

  it('skips rows it cannot place and gives nothing for a missing or malformed history', () => {
    expect(historyFromTraining({})).toEqual([]);
    expect(historyFromTraining({ history: 'lots' })).toEqual([]);
    expect(historyFromTraining({ history: [null, { step: 1 }, { chars: 10 }, { step: 2, chars: 20, train_loss: 'NaN' }] })).toEqual([
      { step: 2, charsSeen: 20 },
    ]);
  });
});
