package dev.glimpse.extension;

import ai.djl.ndarray.types.DataType;
import dev.glimpse.engine.glm4v.Glm4vModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory plan's "it may be slow" warning reaches the notebook cell: below the "Loaded …" line and in
 * {@code %model}'s table, once per cell. The real plan decides, against a stand-in memory figure (the full-size model is not
 * loaded in a test): the fixture model's weights plus the engine's working memory fill more than 85 % of it.
 */
class LoadWarningTest {

    /** The engine's working memory (2 GiB) plus 150 MB: the fixture model fits, above the plan's 85 % mark. */
    private static final long TIGHT_MEMORY = (2L << 30) + 150_000_000L;

    @Test
    void aTightLoadSaysSoInTheCellAndInTheModelTable() {
        Path dir = ExtensionFixtures.fixture("tiny-a/model");
        ModelSource source = new ModelSource.Directory(dir, "%model");
        ModelSlot slot = new ModelSlot();
        slot.use(Glm4vModel.load(dir, Glm4vModel.Options.DEFAULT.withDtype(DataType.FLOAT32)
                .withAvailableMemoryBytes(TIGHT_MEMORY)), source);
        try {
            ModelSlot.Ready ready = (ModelSlot.Ready) slot.state();
            RecordedCellOutput cell = new RecordedCellOutput();
            LoadProgress progress = new LoadProgress(cell);
            progress.waiting(new ModelSlot.Loading(source, System.nanoTime(), 0, new CompletableFuture<>()), ready);
            String plain = cell.bundles.get(0).get(Bundle.PLAIN);
            String html = cell.bundles.get(0).get(Bundle.HTML);
            assertTrue(plain.startsWith("Loaded model in ") && plain.contains("\nWarning: The model in " + dir)
                    && plain.contains("may be slow") && plain.contains("Close other programs"), plain);
            assertTrue(html.contains("⚠ The model in ") && html.contains("may be slow"), html);

            // %model with no argument: the table is the only place that shows it
            String table = ModelStatusView.bundle(ModelStatus.of(slot.state())).get(Bundle.PLAIN);
            assertTrue(table.lines().anyMatch(l -> l.startsWith("warning") && l.contains("may be slow")), table);

            // %model DIR: the load line above showed it, its table does not repeat it
            String afterLoad = ModelStatusView.bundle(ModelMagic.tableAfterLoad(ModelStatus.of(slot.state()),
                    progress)).get(Bundle.PLAIN);
            assertTrue(afterLoad.lines().noneMatch(l -> l.startsWith("warning")), afterLoad);
            assertEquals(1, (cell.bundles.get(0).get(Bundle.PLAIN) + "\n" + afterLoad).split("may be slow", -1).length
                    - 1, "the warning once in the cell");

            // ... unless the load ended before the cell showed its line: then the table is where it shows
            String unseen = ModelStatusView.bundle(ModelMagic.tableAfterLoad(ModelStatus.of(slot.state()),
                    new LoadProgress(new RecordedCellOutput()))).get(Bundle.PLAIN);
            assertTrue(unseen.lines().anyMatch(l -> l.startsWith("warning") && l.contains("may be slow")), unseen);
        } finally {
            slot.unload(ModelSlotNotes.UNLOADED);
        }
    }

    @Test
    void aLoadWithRoomToSpareShowsNoWarning() {
        Path dir = ExtensionFixtures.fixture("tiny-a/model");
        ModelSlot slot = new ModelSlot();
        slot.use(Glm4vModel.load(dir, Glm4vModel.Options.DEFAULT.withDtype(DataType.FLOAT32)
                .withAvailableMemoryBytes(64L << 30)), new ModelSource.Directory(dir, "%model"));
        try {
            ModelStatus status = ModelStatus.of(slot.state());
            assertEquals(java.util.List.of(), status.warnings());
            assertTrue(ModelStatusView.rows(status).stream().noneMatch(r -> r[0].equals("warning")));
        } finally {
            slot.unload(ModelSlotNotes.UNLOADED);
        }
    }
}
