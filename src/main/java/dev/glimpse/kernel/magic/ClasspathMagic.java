package dev.glimpse.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code %classpath} (alias {@code %jars}): adds jars and class directories, globs allowed, to the class path. */
final class ClasspathMagic implements LineMagic {
    static final String HELP = """
            Add jars or class directories to the class path: %classpath lib/*.jar build/classes
            Paths are relative to the working directory; ~ is your home. Globs: * within a directory, ** across
            directories, ?, [abc], {a,b}; a glob keeps only .jar/.zip files and directories. Quote paths with spaces.""";

    @Override
    public Object run(String args, MagicContext context) {
        List<String> arguments = MagicArguments.split(args);
        if (arguments.isEmpty()) {
            throw new MagicException("Nothing to add: give jars, directories or globs, e.g. %classpath lib/*.jar");
        }
        List<Path> entries = new ArrayList<>();
        for (String argument : arguments) {
            List<Path> found = ClasspathGlob.expand(argument, context.workingDirectory());
            if (found.isEmpty()) {
                throw new MagicException(ClasspathGlob.isGlob(argument)
                        ? "Nothing matched " + argument + " in " + context.workingDirectory()
                        + " (a glob keeps only .jar/.zip files and directories)."
                        : "No such file or directory: " + context.workingDirectory().resolve(argument).normalize()
                        + ". Paths are relative to " + context.workingDirectory() + ".");
            }
            entries.addAll(found);
        }
        context.addToClasspath(entries);
        context.out().println("Added to the class path:");
        entries.forEach(entry -> context.out().println("  " + entry));
        return null;
    }
}
