// PLACEHOLDER: the pubsub command family (filled in by its own work item).
import type { CommandSpec } from '../command.js';

export const pubsubCommands: CommandSpec[] = [];
