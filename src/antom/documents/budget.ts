/**
 * What one document may cost, in all: bytes of decoded text, and parts (zip entries, PDF streams) decoded.
 * Past either the document is refused, not skipped: every part is paid for, even one read twice.
 */
export class Budget {
  /** Zip entries and PDF streams, at most (a .docx has a few dozen, a long PDF a few thousand). */
  entries = 10_000;

  constructor(public left: number) {}

  spend(n: number): void {
    this.left -= n;
    if (this.left < 0) throw new BudgetError();
  }
}

export class BudgetError extends Error {}

/** A decoder's output cap: what is left of the budget (zlib refuses to go past it). */
export function isOverBudget(e: unknown): boolean {
  return e instanceof BudgetError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
}
