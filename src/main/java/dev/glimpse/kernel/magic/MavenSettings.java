package dev.glimpse.kernel.magic;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of Maven's {@code settings.xml} that {@code %maven} honours: the local repository, offline mode and
 * mirrors. Servers, proxies and profiles are not read.
 *
 * @param localRepository where artifacts are cached ({@code ~/.m2/repository} by default)
 * @param offline         never go to the network; resolve from the local repository only
 * @param mirrors         mirrors in file order; the first whose {@code mirrorOf} matches a repository replaces it
 * @param source          the settings file read, or {@code null} when none was found
 */
public record MavenSettings(Path localRepository, boolean offline, List<Mirror> mirrors, Path source) {

    /** A {@code <mirror>}: {@code mirrorOf} is Maven's pattern ({@code *}, {@code central}, {@code external:*,!foo}). */
    public record Mirror(String id, String url, String mirrorOf) {
    }

    public MavenSettings {
        mirrors = List.copyOf(mirrors);
    }

    public static Path userSettingsFile() {
        return userHome().resolve(".m2").resolve("settings.xml");
    }

    /** Maven's defaults: {@code ~/.m2/repository}, online, no mirrors. */
    public static MavenSettings defaults() {
        return new MavenSettings(userHome().resolve(".m2").resolve("repository"), false, List.of(), null);
    }

    /**
     * {@code ~/.m2/settings.xml} if it exists, else {@link #defaults()}; the {@code maven.repo.local} system property
     * overrides the local repository, as it does for {@code mvn}.
     */
    public static MavenSettings load() {
        Path file = userSettingsFile();
        MavenSettings settings = Files.isRegularFile(file) ? read(file) : defaults();
        String override = System.getProperty("maven.repo.local");
        if (override != null && !override.isBlank()) {
            settings = settings.withLocalRepository(Path.of(override));
        }
        return settings;
    }

    public MavenSettings withLocalRepository(Path repository) {
        return new MavenSettings(repository, offline, mirrors, source);
    }

    public MavenSettings withOffline(boolean offline) {
        return new MavenSettings(localRepository, offline, mirrors, source);
    }

    /**
     * Reads a settings file. {@code ${user.home}} and {@code ${env.NAME}} in values are expanded.
     *
     * @throws MagicException naming the file if it cannot be read or parsed
     */
    public static MavenSettings read(Path file) {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // The default handler also prints "[Fatal Error]" to stderr; the exception says it all.
            builder.setErrorHandler(new DefaultHandler());
            Document document = builder.parse(file.toFile());
            root = document.getDocumentElement();
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new MagicException("Cannot read the Maven settings " + file + ": " + e.getMessage()
                    + ". Fix or move the file; %maven reads its localRepository, offline and mirrors.", e);
        }
        MavenSettings defaults = defaults();
        String local = text(child(root, "localRepository"));
        Path repository = local == null || local.isBlank()
                ? defaults.localRepository() : userHome().resolve(expand(local.strip()));
        boolean offline = "true".equalsIgnoreCase(String.valueOf(text(child(root, "offline"))).strip());
        List<Mirror> mirrors = new ArrayList<>();
        Element mirrorsElement = child(root, "mirrors");
        if (mirrorsElement != null) {
            for (Element mirror : children(mirrorsElement, "mirror")) {
                String id = text(child(mirror, "id"));
                String url = text(child(mirror, "url"));
                String mirrorOf = text(child(mirror, "mirrorOf"));
                if (url != null && mirrorOf != null) {
                    mirrors.add(new Mirror(id == null ? "mirror" : expand(id.strip()), expand(url.strip()),
                            mirrorOf.strip()));
                }
            }
        }
        return new MavenSettings(repository, offline, mirrors, file);
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{(user\\.home|env\\.[A-Za-z_][A-Za-z0-9_]*)}");

    private static String expand(String value) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = name.equals("user.home") ? userHome().toString()
                    : System.getenv().getOrDefault(name.substring("env.".length()), "");
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static Path userHome() {
        return Path.of(System.getProperty("user.home"));
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(localName(element))) {
                found.add(element);
            }
        }
        return found;
    }

    private static String localName(Element element) {
        String name = element.getTagName();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    private static String text(Element element) {
        return element == null ? null : element.getTextContent();
    }
}
