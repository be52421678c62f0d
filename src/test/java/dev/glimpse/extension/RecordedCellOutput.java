package dev.glimpse.extension;

import java.util.ArrayList;
import java.util.List;

/** A notebook output that keeps what it was sent, for tests of what a cell shows. */
final class RecordedCellOutput implements CellOutput {
    final List<String> ids = new ArrayList<>();
    final List<Bundle> bundles = new ArrayList<>();

    @Override
    public synchronized String show(Bundle bundle) {
        ids.add("id-" + ids.size());
        bundles.add(bundle);
        return ids.get(ids.size() - 1);
    }

    @Override
    public synchronized void update(String displayId, Bundle bundle) {
        ids.add(displayId);
        bundles.add(bundle);
    }

    @Override
    public boolean interruptRequested() {
        return false;
    }

    @Override
    public boolean live() {
        return true;
    }
}
