/** @module Placeholder: the VFS helper replaces this with the real fd table. */
export class FdTable {
}
