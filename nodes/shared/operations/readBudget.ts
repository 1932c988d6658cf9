/**
 * How many bytes of Coupa's answers one Get Many may read before it stops: 256 MB of JSON, about
 * 12,000 purchase orders or 7,500 invoices as Coupa returns them. Read records take about as much
 * heap again as their JSON, and n8n copies its items when it saves the execution: beyond this, a
 * Return All would take n8n down (out of memory, with every execution running) on an instance with
 * a 1 GB heap, instead of failing with a message that says what to do. A community node cannot
 * read the heap n8n runs with (n8n's rules forbid `process` and `node:v8`), so the budget is fixed
 * for the smallest heap n8n is commonly given.
 */
export const READ_BUDGET_BYTES = 256 * 1024 * 1024;

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Counts the bytes and records a read has taken in; `over` once past the budget. */
export class ReadBudget {
	bytes = 0;
	records = 0;

	constructor(readonly limit = READ_BUDGET_BYTES) {}

	add(bytes: number, records: number): void {
		this.bytes += bytes;
		this.records += records;
	}

	get over(): boolean {
		return this.bytes > this.limit;
	}

	/** What a read stopped by the budget says: what happened, then what to do. */
	refusal(): { message: string; description: string } {
		return {
			message: `Stopped after ${this.records.toLocaleString('en')} records (${mb(this.bytes)} of JSON): more would not fit in n8n's memory (${mb(this.limit)} for one read)`,
			description:
				'Read less at once. Ask only for the fields you need (Options › Fields, or Simplify). Or read in batches: Return All off with a Limit (e.g. 5,000), ' +
				'a Filter "ID" Greater Than the last id of the batch before, in a loop until a batch comes back empty (the example "Read a million records in batches"). ' +
				'For new and changed records, the Coupa Trigger reads only those.',
		};
	}
}
