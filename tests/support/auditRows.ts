// The audit chain as stored in Table Storage (docs/storage.md "Audit"), changed the way someone with write access
// to the table could change it: for the tests that show `calm audit verify` notices.
import type { TableClient } from "@azure/data-tables";
import { decodeRecord, encodeRecord } from "../../bot/src/adapters/tables/codec";
import type { AuditEvent } from "../../core/src/domain";

interface Block { partitionKey: string; rowKey: string; events: AuditEvent[] }

/** The block row of chain "main" that holds event `seq`. */
async function blockOf(table: TableClient, seq: number): Promise<Block> {
  const filter = `PartitionKey eq 'c|main' and RowKey ge 'b|' and RowKey lt 'b}'`;
  for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    const { events } = decodeRecord<{ events: AuditEvent[] }>(row);
    if (events.some((e) => e.seq === seq)) return { partitionKey: row.partitionKey!, rowKey: row.rowKey!, events };
  }
  throw new Error(`No block of chain main holds event ${seq}.`);
}

/** Chain event `seq` as stored. */
export async function chainedEvent(table: TableClient, seq: number): Promise<AuditEvent> {
  return (await blockOf(table, seq)).events.find((e) => e.seq === seq)!;
}

/** Rewrites chain event `seq` in its block, as `change` makes it (its listing copies are left alone). */
export async function rewriteChainedEvent(table: TableClient, seq: number, change: (event: AuditEvent) => AuditEvent): Promise<void> {
  const block = await blockOf(table, seq);
  const events = block.events.map((e) => (e.seq === seq ? change(e) : e));
  await table.updateEntity({ partitionKey: block.partitionKey, rowKey: block.rowKey, ...encodeRecord("audit block", "test", { events }) }, "Replace");
}

/** Deletes the block row that holds chain event `seq` (with every event written in the same transaction). */
export async function deleteChainBlock(table: TableClient, seq: number): Promise<void> {
  const block = await blockOf(table, seq);
  await table.deleteEntity(block.partitionKey, block.rowKey);
}

/** Overwrites the text of the block row that holds chain event `seq` with something that is not a block. */
export async function garbleChainBlock(table: TableClient, seq: number): Promise<void> {
  const block = await blockOf(table, seq);
  await table.updateEntity({ partitionKey: block.partitionKey, rowKey: block.rowKey, events__j: "[{\"id\": \"cut off" }, "Replace");
}
