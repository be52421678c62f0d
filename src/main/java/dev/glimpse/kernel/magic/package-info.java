/**
 * Magics: the {@code %name} / {@code %%name} commands of a cell. {@link dev.glimpse.kernel.magic.CellParser} splits a
 * cell into Java code and magic calls, {@link dev.glimpse.kernel.magic.MagicRegistry} holds the magics by name,
 * {@link dev.glimpse.kernel.magic.CellRunner} runs a parsed cell against a
 * {@link dev.glimpse.kernel.magic.MagicContext} the kernel provides, and
 * {@link dev.glimpse.kernel.magic.BuiltinMagics} installs the standard set.
 */
package dev.glimpse.kernel.magic;
