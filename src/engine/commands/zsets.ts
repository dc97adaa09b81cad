// PLACEHOLDER: the zsets command family (filled in by its own work item).
import type { CommandSpec } from '../command.js';

export const zsetsCommands: CommandSpec[] = [];
