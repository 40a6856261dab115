/*
 * The BIN table (docs/api.md "Card info"): a CSV file the operator keeps current from the acquirer's or a
 * licensed BIN data feed. One row per BIN prefix (4 to 8 digits); the longest matching prefix wins, so a
 * broad range and its exceptions sit side by side. Columns, header first:
 *
 *   bin,brand,funding,card_category,issuing_country
 *
 * brand: Antom's CardBrand (empty: from the scheme ranges); funding: Antom's FundingType; card_category:
 * CONSUMER or COMMERCIAL; issuing_country: ISO 3166 alpha-2. Empty cells are unknown. Lines starting
 * with `#` and blank lines are skipped. A malformed line fails the start with its line number: a table
 * half-read would answer wrong cards silently.
 */

export const FUNDING_TYPES = ['CREDIT', 'DEBIT', 'PREPAID', 'CHARGE', 'DEFERRED_DEBIT'] as const;
export const CARD_CATEGORIES = ['CONSUMER', 'COMMERCIAL'] as const;
const HEADER = 'bin,brand,funding,card_category,issuing_country';

export interface BinRow {
  bin: string;
  brand?: string;
  funding?: (typeof FUNDING_TYPES)[number];
  cardCategory?: (typeof CARD_CATEGORIES)[number];
  issuingCountry?: string;
}

export class BinTable {
  private readonly byPrefix = new Map<string, BinRow>();

  constructor(rows: BinRow[]) {
    for (const r of rows) this.byPrefix.set(r.bin, r);
  }

  get size(): number {
    return this.byPrefix.size;
  }

  /** The row of the longest prefix of `digits` (a BIN of 6–8 digits), if any. */
  lookup(digits: string): BinRow | undefined {
    for (let n = Math.min(8, digits.length); n >= 4; n--) {
      const row = this.byPrefix.get(digits.slice(0, n));
      if (row) return row;
    }
    return undefined;
  }
}

/** The issuing country the table gives a BIN (none without a table, a BIN or a row). */
export function issuingCountryOf(table: BinTable | null | undefined, bin: string | null | undefined): string | undefined {
  return bin && table ? table.lookup(bin)?.issuingCountry : undefined;
}

export function parseBinTable(text: string, source = 'bin table'): BinTable {
  const lines = text.split(/\r?\n/);
  const rows: BinRow[] = [];
  const seen = new Set<string>();
  let headerSeen = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const where = `${source} line ${i + 1}`;
    if (!headerSeen) {
      if (line.replace(/\s/g, '') !== HEADER) throw new Error(`${where}: the header must be "${HEADER}"`);
      headerSeen = true;
      return;
    }
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 5) throw new Error(`${where}: 5 columns expected, got ${cells.length}`);
    const [bin, brand, funding, category, country] = cells;
    if (!/^\d{4,8}$/.test(bin)) throw new Error(`${where}: bin must be 4 to 8 digits`);
    if (seen.has(bin)) throw new Error(`${where}: bin ${bin} is listed twice`);
    if (brand && !/^[A-Z][A-Z0-9_]{1,31}$/.test(brand)) throw new Error(`${where}: brand must be an Antom CardBrand such as VISA`);
    if (funding && !(FUNDING_TYPES as readonly string[]).includes(funding))
      throw new Error(`${where}: funding must be one of ${FUNDING_TYPES.join(', ')}`);
    if (category && !(CARD_CATEGORIES as readonly string[]).includes(category))
      throw new Error(`${where}: card_category must be CONSUMER or COMMERCIAL`);
    if (country && !/^[A-Z]{2}$/.test(country)) throw new Error(`${where}: issuing_country must be an ISO 3166 alpha-2 code`);
    seen.add(bin);
    rows.push({
      bin,
      brand: brand || undefined,
      funding: (funding || undefined) as BinRow['funding'],
      cardCategory: (category || undefined) as BinRow['cardCategory'],
      issuingCountry: country || undefined,
    });
  });
  if (!headerSeen) throw new Error(`${source}: empty (the header "${HEADER}" is required)`);
  return new BinTable(rows);
}

/**
 * Funding and issuing country from the table where the acquirer's result info has none (Antom does not
 * always send them): what the acquirer says is never overwritten. `info.cardBin` / `bin`: the masked view.
 */
export function fillCardFacts(
  info: Record<string, unknown> | null | undefined,
  bin: string | null | undefined,
  table: BinTable | null | undefined,
): void {
  if (!info || !table || !bin) return;
  const row = table.lookup(bin);
  if (!row) return;
  if (info.funding === undefined && row.funding) info.funding = row.funding;
  if (info.issuingCountry === undefined && row.issuingCountry) info.issuingCountry = row.issuingCountry;
}
