import { benchBindings } from './bindings';
import { printTable } from './table';

/** `make bench`: every figure next to its baseline, measured in this one run. */
const rows = [...benchBindings()];
printTable(rows);
