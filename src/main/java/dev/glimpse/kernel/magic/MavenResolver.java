package dev.glimpse.kernel.magic;

import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves Maven coordinates with their runtime dependencies into jar paths, using Maven Resolver against Maven
 * Central (or the mirror {@code settings.xml} names for it).
 *
 * <p>Resolution always tries the local repository first, without the network and without asking which remote
 * repository a file came from (so jars fetched through another mirror count), so anything already downloaded
 * resolves instantly and offline. Only when something is missing does it go to the remote repository, unless the
 * settings say offline.
 */
public final class MavenResolver implements AutoCloseable {
    public static final String CENTRAL_ID = "central";
    public static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    private final MavenSettings settings;
    private RepositorySystem system;

    public MavenResolver(MavenSettings settings) {
        this.settings = settings;
    }

    public MavenSettings settings() {
        return settings;
    }

    /**
     * The jars of {@code coordinates} and their runtime dependencies, in class path order, without duplicates.
     *
     * @param coordinates {@code group:artifact:version} or {@code group:artifact:extension[:classifier]:version}
     * @param progress    where downloads are reported, one line per jar
     * @throws MagicException for a malformed coordinate, or naming the artifacts that could not be resolved and why
     */
    public synchronized List<Path> resolve(List<String> coordinates, PrintStream progress) {
        List<Artifact> roots = coordinates.stream().map(MavenResolver::artifact).toList();
        try {
            return resolve(roots, true, progress);
        } catch (DependencyResolutionException offlineFailure) {
            if (settings.offline()) {
                throw new MagicException(ResolutionFailure.describe(coordinates, offlineFailure, settings, true));
            }
        }
        try {
            return resolve(roots, false, progress);
        } catch (DependencyResolutionException onlineFailure) {
            throw new MagicException(ResolutionFailure.describe(coordinates, onlineFailure, settings, false));
        }
    }

    static Artifact artifact(String coordinate) {
        try {
            return new DefaultArtifact(coordinate);
        } catch (IllegalArgumentException e) {
            throw new MagicException("Not a Maven coordinate: '" + coordinate + "'. Write group:artifact:version,"
                    + " for example org.apache.commons:commons-csv:1.11.0.");
        }
    }

    private List<Path> resolve(List<Artifact> roots, boolean offline, PrintStream progress)
            throws DependencyResolutionException {
        RepositorySystem system = system();
        try (RepositorySystemSession.CloseableSession session = session(system, offline, progress)) {
            List<Dependency> dependencies = roots.stream().map(a -> new Dependency(a, "compile")).toList();
            CollectRequest collect = new CollectRequest(dependencies, null, repositories(system, session));
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter("runtime"));
            Set<Path> jars = new LinkedHashSet<>();
            for (ArtifactResult result : system.resolveDependencies(session, request).getArtifactResults()) {
                jars.add(result.getArtifact().getPath());
            }
            return new ArrayList<>(jars);
        }
    }

    /** The remote repositories resolution uses: Central, or the mirror the settings give for it. */
    List<RemoteRepository> repositories() {
        RepositorySystem system = system();
        try (RepositorySystemSession.CloseableSession session = session(system, true, null)) {
            return repositories(system, session);
        }
    }

    private static List<RemoteRepository> repositories(RepositorySystem system, RepositorySystemSession session) {
        RemoteRepository central = new RemoteRepository.Builder(CENTRAL_ID, "default", CENTRAL_URL).build();
        return system.newResolutionRepositories(session, List.of(central));
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    private RepositorySystemSession.CloseableSession session(RepositorySystem system, boolean offline,
                                                             PrintStream progress) {
        DefaultMirrorSelector mirrors = new DefaultMirrorSelector();
        for (MavenSettings.Mirror mirror : settings.mirrors()) {
            mirrors.add(mirror.id(), mirror.url(), "default", false, false, mirror.mirrorOf(), "*");
        }
        // "simple" trusts any file present; the default ("enhanced") layout only trusts files recorded as coming
        // from one of the request's repositories, and records downloads, which the online pass needs.
        LocalRepository local = new LocalRepository(settings.localRepository(), offline ? "simple" : "default");
        RepositorySystemSession.SessionBuilder builder = new SessionBuilderSupplier(system).get()
                .withLocalRepositories(local)
                .setOffline(offline)
                .setMirrorSelector(mirrors)
                // Do not remember failures: a download that failed while the network was down must be retried.
                .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(false, false))
                .setSystemProperties(System.getProperties())
                .setConfigProperty("aether.transport.http.connectTimeout", 10_000)
                .setConfigProperty("aether.transport.http.requestTimeout", 60_000);
        if (progress != null) {
            builder.setTransferListener(new DownloadReporter(progress));
        }
        return builder.build();
    }

    @Override
    public synchronized void close() {
        if (system != null) {
            system.shutdown();
            system = null;
        }
    }

    /** Prints one line per downloaded jar; POMs and metadata would drown the cell. */
    private static final class DownloadReporter extends AbstractTransferListener {
        private final PrintStream out;

        DownloadReporter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void transferSucceeded(TransferEvent event) {
            String name = event.getResource().getResourceName();
            if (event.getRequestType() == TransferEvent.RequestType.GET && name.endsWith(".jar")) {
                out.printf("Downloaded %s (%d kB) from %s%n", name.substring(name.lastIndexOf('/') + 1),
                        event.getTransferredBytes() / 1024, event.getResource().getRepositoryId());
            }
        }
    }
}
