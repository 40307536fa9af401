/** Discord epoch (2015-01-01); real-looking 18–19 digit ids matter: discord.js routes rate limits by them. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/** A fresh snowflake id, unique within this process and increasing with time. */
export function nextSnowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  const ms = BigInt(Date.now()) - DISCORD_EPOCH;
  return ((ms << 22n) | (1n << 17n) | increment).toString();
}
