// PLACEHOLDER: the CLIENT command and its subcommands (filled in by its own work item).
import type { CommandSpec } from '../command.js';

export const clientCommands: CommandSpec[] = [];
