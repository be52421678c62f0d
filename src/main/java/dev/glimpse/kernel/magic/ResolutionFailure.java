package dev.glimpse.kernel.magic;

import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns Maven Resolver's nested exceptions into one message naming the missing artifacts and what to do. */
final class ResolutionFailure {
    private ResolutionFailure() {
    }

    static String describe(List<String> coordinates, DependencyResolutionException failure, MavenSettings settings,
                           boolean offline) {
        Set<Throwable> all = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(failure, all);
        if (failure.getResult() != null) {
            failure.getResult().getCollectExceptions().forEach(e -> collect(e, all));
        }
        Set<String> missing = new LinkedHashSet<>();
        for (Throwable t : all) {
            if (t instanceof ArtifactResolutionException resolution) {
                for (ArtifactResult result : resolution.getResults()) {
                    if (!result.isResolved()) {
                        missing.add(result.getRequest().getArtifact().toString());
                    }
                }
            } else if (t instanceof ArtifactDescriptorException descriptor) {
                missing.add(descriptor.getResult().getRequest().getArtifact().toString());
            } else if (t instanceof ArtifactTransferException transfer && transfer.getArtifact() != null) {
                missing.add(transfer.getArtifact().toString());
            }
        }
        String what = String.join(", ", coordinates);
        String missingText = missing.isEmpty() ? failure.getMessage() : String.join(", ", missing);
        String local = settings.localRepository().toString();
        if (offline) {
            String why = settings.source() != null
                    ? "Maven is offline (<offline>true</offline> in " + settings.source() + ")"
                    : "Maven is offline";
            return "Cannot resolve " + what + ": " + why + " and the local repository " + local + " lacks "
                    + missingText + ". Go online, or fetch it once with: mvn dependency:get -Dartifact="
                    + coordinates.get(0);
        }
        Throwable network = all.stream().filter(ResolutionFailure::isNetworkFailure).findFirst().orElse(null);
        if (network != null) {
            return "Cannot resolve " + what + ": " + missingText + " is not in the local repository " + local
                    + " and the remote repository cannot be reached (" + network + "). Connect to the network and"
                    + " run %maven again.";
        }
        boolean notFound = all.stream().anyMatch(t -> t instanceof ArtifactNotFoundException);
        if (notFound) {
            return "Cannot resolve " + what + ": " + missingText + " does not exist in Maven Central. Check the"
                    + " group, artifact and version (search https://central.sonatype.com).";
        }
        return "Cannot resolve " + what + ": " + missingText + " (" + rootCause(failure) + ").";
    }

    private static void collect(Throwable t, Set<Throwable> into) {
        if (t == null || !into.add(t)) {
            return;
        }
        collect(t.getCause(), into);
        for (Throwable suppressed : t.getSuppressed()) {
            collect(suppressed, into);
        }
        if (t instanceof ArtifactResolutionException resolution) {
            for (ArtifactResult result : resolution.getResults()) {
                result.getExceptions().forEach(e -> collect(e, into));
            }
        }
        if (t instanceof ArtifactDescriptorException descriptor) {
            descriptor.getResult().getExceptions().forEach(e -> collect(e, into));
        }
    }

    private static boolean isNetworkFailure(Throwable t) {
        return t instanceof UnknownHostException || t instanceof ConnectException
                || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException;
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
