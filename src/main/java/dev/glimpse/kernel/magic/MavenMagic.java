package dev.glimpse.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** {@code %maven g:a:v …}: resolves artifacts with their dependencies and adds the jars to the class path. */
final class MavenMagic implements LineMagic {
    static final String HELP = """
            Add Maven artifacts and their runtime dependencies: %maven org.apache.commons:commons-csv:1.11.0 [more…]
            Coordinates are group:artifact:version or group:artifact:extension[:classifier]:version. Jars already in
            the local repository (~/.m2/repository or settings.xml's localRepository) are used without the network;
            the rest come from Maven Central or its mirror in ~/.m2/settings.xml, unless that file says offline.""";

    private final Supplier<MavenResolver> resolver;
    private MavenResolver instance;

    /** @param resolver made on first use, so a broken settings.xml fails {@code %maven}, not the kernel start */
    MavenMagic(Supplier<MavenResolver> resolver) {
        this.resolver = resolver;
    }

    @Override
    public Object run(String args, MagicContext context) {
        List<String> coordinates = MagicArguments.split(args);
        if (coordinates.isEmpty()) {
            throw new MagicException("No artifact given: write %maven group:artifact:version, e.g."
                    + " %maven org.apache.commons:commons-csv:1.11.0");
        }
        List<Path> jars = resolver().resolve(coordinates, context.out());
        context.addToClasspath(jars);
        context.out().println("Added " + jars.size() + (jars.size() == 1 ? " jar" : " jars") + " for "
                + String.join(", ", coordinates) + ":");
        jars.forEach(jar -> context.out().println("  " + jar.getFileName()));
        return null;
    }

    private synchronized MavenResolver resolver() {
        if (instance == null) {
            instance = resolver.get();
        }
        return instance;
    }
}
