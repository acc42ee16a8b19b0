/**
 * The consistency checks: {@link dev.mmkit.kv.internal.check.Inspector} walks a whole snapshot and
 * lists every problem it finds, and {@link dev.mmkit.kv.internal.check.StrictCheck} checks each
 * tree page a commit is about to write when strict mode is on.
 */
package dev.mmkit.kv.internal.check;
