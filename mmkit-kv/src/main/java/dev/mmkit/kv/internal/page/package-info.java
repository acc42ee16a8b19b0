/**
 * The file format, one home per page kind: each {@code *Layout} class draws a layout's bytes, and
 * beside it one codec encodes and decodes that kind of page ({@link
 * dev.mmkit.kv.internal.page.LeafPage}, {@link dev.mmkit.kv.internal.page.BranchPage}, {@link
 * dev.mmkit.kv.internal.page.OverflowPage}, {@link dev.mmkit.kv.internal.page.Meta}, {@link
 * dev.mmkit.kv.internal.page.FreelistRecord}). Also the little-endian byte access, checksums, and
 * the structure checks of one page's bytes with the kinds of problem they report. Nothing here
 * depends on the other internal packages.
 */
package dev.mmkit.kv.internal.page;
