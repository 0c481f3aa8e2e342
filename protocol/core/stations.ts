/** Kitchen stations: what one station sees of an order. Used by galleyd's kitchen topic and by the kitchen display. */

interface StationLine {
  station?: string | undefined;
  components: readonly { station?: string | undefined }[];
}

/** Only the lines (and combo components) one station makes; undefined when the station makes none of it. */
export function forStation<O extends { lines: readonly StationLine[] }>(order: O, station: string): O | undefined {
  const lines = order.lines.flatMap((line) => {
    if (line.station === station) return [line];
    const components = line.components.filter((c) => c.station === station);
    return components.length > 0 ? [{ ...line, components }] : [];
  });
  return lines.length > 0 ? { ...order, lines } : undefined;
}
