// PLACEHOLDER: the sets command family (filled in by its own work item).
import type { CommandSpec } from '../command.js';

export const setsCommands: CommandSpec[] = [];
