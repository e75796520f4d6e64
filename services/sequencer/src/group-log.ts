// The groups topic's records: each group's full state after a create or change, keyed by
// its conversation id. The topic is compacted, so the latest state of every group stays
// forever; a full snapshot (not a delta) makes a repeated or replayed record harmless.
import { asConversationId, asUserId, decodeGroupSnapshot, encodeAppEvent, encodeGroupSnapshot, type UserId } from '@parley/protocol';
import type { GroupChange } from './group-requests';
import type { Bus, BusRecord, RestoredGroup } from '@parley/ports';
import type { Logger } from '@parley/observability';

export function groupSnapshotRecord({ conversation, state }: RestoredGroup): BusRecord {
  return { key: conversation, value: encodeGroupSnapshot({ conversation, members: [...state.members], version: state.version }) };
}

/** The group.changed application event of a create or change, for the deliver topic (keyed by the group). */
export function groupChangedRecord({ conversation, state }: RestoredGroup, change: GroupChange, byUser: UserId, nowMs: number): BusRecord {
  return {
    key: conversation,
    value: encodeAppEvent({
      atMs: nowMs,
      groupChanged: { conversation, version: state.version, members: [...state.members], added: [...change.added], removed: [...change.removed], byUser, created: change.created },
    }),
  };
}

/**
 * Reads the whole groups topic and returns the latest state of each group: the highest
 * version (the later record on a tie, as a repeated create logs version 1 again). A record
 * that cannot be decoded is logged and skipped: the group's next change logs it again.
 */
export async function readGroupLog(bus: Bus, topic: string, logger: Logger): Promise<RestoredGroup[]> {
  const latest = new Map<string, RestoredGroup>();
  await bus.readToEnd(topic, (batch) => {
    for (const record of batch.records) {
      let group: RestoredGroup;
      try {
        const snapshot = decodeGroupSnapshot(record.value);
        if (!snapshot.conversation || snapshot.conversation !== record.key) throw new Error(`snapshot of ${snapshot.conversation} under key ${record.key}`);
        group = {
          conversation: asConversationId(snapshot.conversation),
          state: { members: snapshot.members.map(asUserId), version: Number(snapshot.version) },
        };
      } catch (err) {
        logger.error({ err, partition: batch.partition, offset: record.offset }, 'undecodable group snapshot skipped');
        continue;
      }
      const held = latest.get(group.conversation);
      if (!held || held.state.version <= group.state.version) latest.set(group.conversation, group);
    }
  });
  return [...latest.values()];
}
