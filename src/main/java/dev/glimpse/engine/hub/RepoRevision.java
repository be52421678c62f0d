package dev.glimpse.engine.hub;

import java.util.List;

/**
 * A revision as the Hub's API describes it ({@code GET /api/models/{repo}/revision/{revision}}).
 *
 * @param commit the commit hash the revision points at ({@code sha})
 * @param files  the repository's files at that commit ({@code siblings[].rfilename}), paths with {@code /}
 */
record RepoRevision(String commit, List<String> files) {
    RepoRevision {
        files = List.copyOf(files);
    }
}
