/**
 * Keeping the kernel's own threads alive when cell code fills the heap: a memory reserve that is given back the
 * moment the heap runs out, and a report of what cell variables hold the memory.
 */
package dev.glimpse.kernel.memory;
