import { z } from 'zod';
import type { GenerationRequest, JobKind, JobRecord, JobState, SurfaceAddress } from '../core/ports.js';

/**
 * JSON columns are checked when read back: a row written by an older build or edited by hand
 * must fail loudly for that one job, not surface later as undefined deep in the engine.
 */
const requestSchema = z.object({
  seed: z.string(),
  model: z.string(),
  temperature: z.number(),
  length: z.number().int(),
  randomSeed: z.number().optional(),
});

const surfaceSchema = z.object({
  platform: z.string(),
  channelId: z.string(),
  messageIds: z.array(z.string()),
  extra: z.record(z.string(), z.unknown()).optional(),
});

const presentationSchema = z.object({
  title: z.string().optional(),
  notes: z.array(z.string()).optional(),
});

const kindSchema = z.enum(['story', 'regenerate', 'daily']);
const stateSchema = z.enum(['queued', 'running', 'done', 'failed']);

export interface JobRow {
  id: string;
  kind: string;
  channel_id: string;
  user_id: string;
  request_json: string;
  surface_json: string | null;
  reply_to: string | null;
  presentation_json: string | null;
  state: string;
  created_at: number;
}

export function encodeRequest(request: GenerationRequest): string {
  return JSON.stringify(request);
}

/** Title and notes, or null when the job has neither. */
export function encodePresentation(job: Pick<JobRecord, 'title' | 'notes'>): string | null {
  if (job.title === undefined && (job.notes === undefined || job.notes.length === 0)) return null;
  return JSON.stringify({ title: job.title, notes: job.notes });
}

export function encodeSurface(surface: SurfaceAddress): string {
  return JSON.stringify(surface);
}

/** Throws an Error naming the job and the column when a row cannot be read back. */
export function decodeJobRow(row: JobRow): JobRecord {
  const request = parseColumn(row, 'request_json', row.request_json, requestSchema);
  const surface =
    row.surface_json === null ? undefined : parseColumn(row, 'surface_json', row.surface_json, surfaceSchema);
  const presentation =
    row.presentation_json === null
      ? {}
      : parseColumn(row, 'presentation_json', row.presentation_json, presentationSchema);
  const kind: JobKind = kindSchema.parse(row.kind);
  const state: JobState = stateSchema.parse(row.state);
  return {
    id: row.id,
    kind,
    channelId: row.channel_id,
    userId: row.user_id,
    request: dropUndefined(request) as GenerationRequest,
    ...(surface !== undefined ? { surface: dropUndefined(surface) as SurfaceAddress } : {}),
    ...(row.reply_to !== null ? { replyTo: row.reply_to } : {}),
    ...(presentation.title !== undefined ? { title: presentation.title } : {}),
    ...(presentation.notes !== undefined ? { notes: presentation.notes } : {}),
    state,
    createdAt: row.created_at,
  };
}

function parseColumn<T>(row: JobRow, column: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`job ${row.id}: ${column} is not JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`job ${row.id}: ${column} has an unexpected shape (${result.error.message})`);
  }
  return result.data;
}

function dropUndefined(value: object): object {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}
