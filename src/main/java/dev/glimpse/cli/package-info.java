/**
 * The {@code glimpse} command line: {@link dev.glimpse.cli.Main} dispatches to subcommands ({@code ask}, {@code eval}, {@code serve}).
 * Depends on everything else; nothing depends on it.
 */
package dev.glimpse.cli;
