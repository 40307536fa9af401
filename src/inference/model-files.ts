import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeAtomically } from '../files/write-atomically.js';
import * as tfl from '@tensorflow/tfjs-layers';
import './chained-ops.js';
import { encodeFloat16, Float16RangeError } from './float16.js';
import { metaMismatches } from './model-check.js';
import { ModelLoadError } from './model-load-error.js';
import { modelMetaSchema, type ModelMeta, type WeightPrecision } from './model-meta.js';

/**
 * models/<id>/ on disk: model.json (tfjs layers topology + weights manifest), weights.bin (all
 * weights, one file) and meta.json (vocabulary, sizes, training story). Plain node:fs IOHandlers,
 * so saving and loading need no tfjs-node.
 */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const META_JSON = 'meta.json';

export interface LoadedModel {
  readonly model: tfl.LayersModel;
  readonly meta: ModelMeta;
  readonly dir: string;
}

export interface SaveOptions {
  /**
   * How weights.bin stores each float32 weight: as is (default), or as IEEE half floats, which
   * halves the file; the loader widens them back to float32. meta.json records the choice.
   */
  readonly weightPrecision?: WeightPrecision;
}

/** Writes the three files; each lands under a temporary name first so a reader never sees half. */
export async function saveModelDir(
  model: tfl.LayersModel,
  meta: ModelMeta,
  dir: string,
  options: SaveOptions = {},
): Promise<void> {
  const precision = options.weightPrecision ?? 'float32';
  const checked = modelMetaSchema.parse(
    precision === 'float32' && meta.weightPrecision === undefined ? meta : { ...meta, weightPrecision: precision },
  );
  const problems = metaMismatches(model, checked);
  if (problems.length > 0) throw new ModelLoadError(join(dir, META_JSON), problems.join('; '));
  await mkdir(dir, { recursive: true });
  const handler: tf.io.IOHandler = {
    async save(artifacts) {
      const float32 = {
        specs: artifacts.weightSpecs ?? [],
        data: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
      };
      // Encode before writing anything, so a weight beyond the half range leaves the folder as it was.
      const stored = precision === 'float16' ? toFloat16Weights(float32.specs, float32.data, join(dir, WEIGHTS_BIN)) : float32;
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: stored.specs }],
      };
      await writeAtomically(join(dir, WEIGHTS_BIN), stored.data);
      await writeAtomically(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
  await model.save(handler);
  await writeAtomically(join(dir, META_JSON), `${JSON.stringify(checked, null, 2)}\n`);
}

/**
 * tfjs' own manifest form for half-float weights (what tfjs-converter writes and io.decodeWeights
 * reads): the tensor stays dtype float32, `quantization.dtype` says how its bytes are stored.
 */
type Float16WeightSpec = tf.io.WeightsManifestEntry & {
  readonly quantization: { readonly dtype: 'float16'; readonly original_dtype: 'float32' };
};

/** float32 weights (specs + packed bytes) re-encoded as halves; other dtypes are copied as they are. */
function toFloat16Weights(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: Uint8Array,
  file: string,
): { specs: tf.io.WeightsManifestEntry[]; data: Uint8Array } {
  const out: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const elements = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = elements * (BYTES_PER_ELEMENT[spec.dtype] ?? 4);
    const slice = data.subarray(offset, offset + bytes);
    offset += bytes;
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
      out.push(spec);
      parts.push(slice);
      continue;
    }
    // Copy into an aligned buffer: the slice may start at any byte offset.
    const values = new Float32Array(new Uint8Array(slice).buffer);
    try {
      parts.push(encodeFloat16(values));
    } catch (error) {
      if (!(error instanceof Float16RangeError)) throw error;
      throw new ModelLoadError(
        file,
        `cannot store ${spec.name} as float16: it holds ${error.value} (index ${error.index}), beyond ±65504; save it as float32`,
      );
    }
    const half: Float16WeightSpec = { ...spec, quantization: { dtype: 'float16', original_dtype: 'float32' } };
    out.push(half);
  }
  const joined = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return { specs: out, data: joined };
}

/** Reads and checks just a model folder's meta.json, or throws ModelLoadError. */
export async function loadModelMeta(dir: string): Promise<ModelMeta> {
  return parseMeta(join(dir, META_JSON), await readJson(join(dir, META_JSON)));
}

/** Loads one model folder, or throws ModelLoadError naming the file and the problem. */
export async function loadModelDir(dir: string): Promise<LoadedModel> {
  const folder = await stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) throw new ModelLoadError(dir, 'model folder not found');

  const meta = parseMeta(join(dir, META_JSON), await readJson(join(dir, META_JSON)));
  const modelJsonPath = join(dir, MODEL_JSON);
  const modelJson = parseModelJson(modelJsonPath, await readJson(modelJsonPath));
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const weightData = await readWeights(dir, modelJson.weightsManifest);

  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: withZeroInitializers(modelJson.modelTopology),
        weightSpecs,
        weightData,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
      }),
    );
  } catch (error) {
    throw new ModelLoadError(modelJsonPath, `tfjs could not build the model: ${describe(error)}`);
  }
  const problems = metaMismatches(model, meta);
  if (problems.length > 0) {
    model.dispose();
    throw new ModelLoadError(join(dir, META_JSON), `does not match the weights: ${problems.join('; ')}`);
  }
  const broken = nonFiniteWeights(model);
  if (broken !== undefined) {
    model.dispose();
    const file = join(dir, basename(modelJson.weightsManifest[0]?.paths[0] ?? WEIGHTS_BIN));
    throw new ModelLoadError(file, `is corrupt: ${broken.count} weights are not finite numbers (NaN or infinity), the first in ${broken.name}`);
  }
  return { model, meta, dir };
}

/**
 * Weights of the right size can still be garbage (a bad copy, a disk error): NaN or infinity in
 * any of them makes every probability NaN. Caught here, the operator hears which file is broken
 * rather than that the backend disagrees with itself.
 */
function nonFiniteWeights(model: tfl.LayersModel): { count: number; name: string } | undefined {
  let count = 0;
  let name: string | undefined;
  for (const weight of model.weights) {
    const values = weight.read().dataSync();
    let bad = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) bad++;
    if (bad > 0) name ??= weight.originalName;
    count += bad;
  }
  return name === undefined ? undefined : { count, name };
}

/**
 * Every model under root (each subfolder with a meta.json), sorted by id. The folder name is the
 * model id and must equal meta.json's id, so `--model scifi` always means models/scifi.
 */
export async function loadModelsDir(root: string): Promise<LoadedModel[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => {
    throw new ModelLoadError(root, 'models folder not found');
  });
  const dirs: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const hasMeta = await stat(join(root, entry.name, META_JSON)).then(() => true, () => false);
    if (hasMeta) dirs.push(entry.name);
  }
  dirs.sort();
  if (dirs.length === 0) {
    throw new ModelLoadError(root, `no models found (a model is a folder holding ${META_JSON}, ${MODEL_JSON} and ${WEIGHTS_BIN})`);
  }
  const loaded: LoadedModel[] = [];
  for (const name of dirs) {
    const one = await loadModelDir(join(root, name));
    if (one.meta.id !== name) {
      one.model.dispose();
      throw new ModelLoadError(join(root, name, META_JSON), `id "${one.meta.id}" differs from its folder name "${name}"`);
    }
    loaded.push(one);
  }
  return loaded;
}

interface ModelJsonFile {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: tf.io.WeightsManifestConfig;
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new ModelLoadError(file, isMissing(error) ? 'file not found' : `cannot be read: ${describe(error)}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelLoadError(file, `is not valid JSON (${describe(error)})`);
  }
}

function parseMeta(file: string, json: unknown): ModelMeta {
  const result = modelMetaSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ModelLoadError(file, `is not a valid model meta: ${issues.join('; ')}`);
}

function parseModelJson(file: string, json: unknown): ModelJsonFile {
  const obj = json as Partial<Record<keyof ModelJsonFile, unknown>> | null;
  if (obj === null || typeof obj !== 'object') throw new ModelLoadError(file, 'is not a JSON object');
  if (obj.modelTopology === null || typeof obj.modelTopology !== 'object') {
    throw new ModelLoadError(file, 'has no modelTopology (is it a tfjs layers model?)');
  }
  const manifest = obj.weightsManifest;
  const valid =
    Array.isArray(manifest) &&
    manifest.every(
      (g: unknown) =>
        typeof g === 'object' && g !== null &&
        Array.isArray((g as { paths?: unknown }).paths) &&
        Array.isArray((g as { weights?: unknown }).weights),
    );
  if (!valid) throw new ModelLoadError(file, 'has no valid weightsManifest (groups of paths and weights)');
  return obj as ModelJsonFile;
}

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2,
};

/** Reads every weights file of the manifest and checks its size against the specs it holds. */
async function readWeights(dir: string, manifest: tf.io.WeightsManifestConfig): Promise<ArrayBuffer> {
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest) {
    const expected = group.weights.reduce((sum, spec) => {
      const elements = spec.shape.reduce((a, b) => a * b, 1);
      const dtype = spec.quantization?.dtype ?? spec.dtype;
      return sum + elements * (BYTES_PER_ELEMENT[dtype] ?? 4);
    }, 0);
    const parts: Uint8Array[] = [];
    for (const path of group.paths) {
      // Weights live beside model.json; a manifest cannot point elsewhere on the disk.
      const file = join(dir, basename(path));
      const bytes = await readFile(file).catch((error: unknown) => {
        throw new ModelLoadError(file, isMissing(error) ? 'weights file not found' : `cannot be read: ${describe(error)}`);
      });
      parts.push(bytes);
    }
    const actual = parts.reduce((sum, p) => sum + p.byteLength, 0);
    if (actual !== expected) {
      const file = join(dir, basename(group.paths[group.paths.length - 1] ?? WEIGHTS_BIN));
      const how = actual < expected ? 'truncated' : 'longer than its manifest';
      throw new ModelLoadError(file, `weights file ${how}: ${actual} bytes, model.json describes ${expected}`);
    }
    const joined = new Uint8Array(actual);
    let offset = 0;
    for (const p of parts) {
      joined.set(p, offset);
      offset += p.byteLength;
    }
    buffers.push(joined.buffer);
  }
  return tf.io.CompositeArrayBuffer.join(buffers);
}

/**
 * The weights overwrite every initial value, so building with zeros skips the orthogonal
 * initializer, whose QR decomposition takes seconds on a 512-unit recurrent kernel.
 */
function withZeroInitializers(topology: object): object {
  return JSON.parse(JSON.stringify(topology), (key: string, value: unknown) =>
    key.endsWith('_initializer') && value !== null ? { class_name: 'Zeros', config: {} } : value,
  ) as object;
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
