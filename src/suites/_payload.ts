/**
 * A realistic JSON message for the compression suite: a batch of market
 * ticks, deterministic so every run and every runtime compress the same bytes.
 * Keys repeat and values vary, as in real telemetry; it is not a string of
 * one repeated character, which would flatter any compressor.
 */
const SYMBOLS = ["AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "ORCL"];

export function tickBatch(rows = 24, seed = 7): string {
  let x = seed;
  const rand = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const ticks = Array.from({ length: rows }, (_, i) => ({
    symbol: SYMBOLS[i % SYMBOLS.length],
    price: Math.round(100 + rand() * 900) / 100 + 100,
    volume: Math.floor(rand() * 100_000),
    bid: Math.round(rand() * 10_000) / 100,
    ask: Math.round(rand() * 10_000) / 100,
    exchange: i % 3 === 0 ? "NASDAQ" : "NYSE",
    timestamp: 1_767_225_600_000 + i * 250,
  }));
  return JSON.stringify({ type: "market.ticks", sequence: seed, ticks });
}
