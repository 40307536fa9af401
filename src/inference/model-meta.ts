import { z } from 'zod';

/** How weights.bin stores each weight; the loader always hands the engine float32. */
export const WEIGHT_PRECISIONS = ['float32', 'float16'] as const;
export type WeightPrecision = (typeof WEIGHT_PRECISIONS)[number];

/**
 * meta.json beside a tfjs layers model in models/<id>/. It is the contract between the trainer
 * (which writes it) and the inference engine (which refuses a model whose meta does not match
 * its weights).
 *
 * The network is always: one-hot input [batch, time, vocab.length] → LSTM(units[0]) → … →
 * LSTM(units[n-1]) → Dense(vocab.length, softmax), with recurrentActivation 'sigmoid' and Keras'
 * gate order (input, forget, cell, output) in the fused kernels.
 */
export const modelMetaSchema = z.object({
  format: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  /** Human-readable one-liner shown in command help. */
  description: z.string().default(''),
  /** Index i of the one-hot input and of the softmax output is the character vocab[i]. */
  vocab: z.array(z.string().length(1)).min(2),
  /** Units of each stacked LSTM layer, bottom first. */
  units: z.array(z.number().int().positive()).min(1),
  /** Length of the windows the model was trained on: how much seed is worth feeding. */
  sequenceLength: z.number().int().positive(),
  /** Everything about how the model came to be: corpus, epochs, validation/test bpc… */
  training: z.record(z.string(), z.unknown()).default({}),
  /**
   * Storage precision of weights.bin, written by saveModelDir; absent means float32 (every model
   * saved before float16 existed). model.json's manifest is what the loader decodes; this is the
   * human-readable record of it.
   */
  weightPrecision: z.enum(WEIGHT_PRECISIONS).optional(),
});

export type ModelMeta = z.infer<typeof modelMetaSchema>;
