/** @module Placeholder: the VFS helper replaces this with the real VFS. */
export class Vfs {
}
