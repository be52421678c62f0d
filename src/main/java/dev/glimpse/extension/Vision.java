package dev.glimpse.extension;

import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.pipeline.BatchItem;
import dev.glimpse.pipeline.BatchProgress;
import dev.glimpse.pipeline.BatchResult;
import dev.glimpse.pipeline.BatchRun;
import dev.glimpse.pipeline.BatchRunner;
import dev.glimpse.pipeline.EvalDataset;
import dev.glimpse.pipeline.EvalRunner;
import dev.glimpse.pipeline.Evaluation;
import dev.glimpse.pipeline.ModelJudge;
import dev.glimpse.pipeline.Thresholds;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The notebook helpers for asking a vision-language model about images. Every Glimpse notebook imports them
 * ({@code import static dev.glimpse.extension.Vision.*;}); plain Java can call them too (without a notebook nothing
 * is displayed and the configured model loads on first use).
 *
 * <table>
 *   <caption>At a glance</caption>
 *   <tr><td>{@code image("cat.jpg")}, {@code image("https://…/cat.jpg")}</td><td>load an image (also Path, File,
 *       byte[], BufferedImage); it shows itself as a thumbnail</td></tr>
 *   <tr><td>{@code ask(img, "What is this?")}</td><td>ask about an image; the answer streams into the cell</td></tr>
 *   <tr><td>{@code ask(List.of(a, b), "What changed?")}, {@code ask("Hello")}</td><td>several images; text only</td></tr>
 *   <tr><td>{@code ask(img, "…", options().temperature(0.7).maxTokens(200).noThink())}</td><td>sampling, length,
 *       thinking, seed, system prompt</td></tr>
 *   <tr><td>{@code var c = chat(); c.ask(img, "…"); c.ask("and then?")}</td><td>a conversation with memory</td></tr>
 *   <tr><td>{@code askAll("photos", "Describe it.")}</td><td>a question for every image of a folder: a table, saved
 *       to CSV as it goes, resumable</td></tr>
 *   <tr><td>{@code evaluate("eval.jsonl")}</td><td>accuracy, latency, failures, pass/fail</td></tr>
 *   <tr><td>{@code webPage()}</td><td>the web page on this model, for people who do not write code</td></tr>
 *   <tr><td>{@code model()}, {@code modelStatus()}, {@code %model}</td><td>the loaded model</td></tr>
 * </table>
 */
public final class Vision {

    private Vision() {
    }

    private static Session session() {
        return Session.current();
    }

    // ---------------------------------------------------------------- images

    /**
     * Loads an image from a file path, a {@code file:} URL or an {@code http(s)://} URL. PNG, JPEG, GIF, BMP and TIFF
     * are read; relative paths start in the notebook's folder. Files up to 256 MB and downloads up to 64 MB are read.
     *
     * @throws IllegalArgumentException naming the file when it does not exist, is a folder, a device or a pipe, is
     *                                  too large or is not an image; naming the URL for other schemes (ftp:, data:),
     *                                  redirect loops and HTTP errors
     */
    public static Image image(String pathOrUrl) {
        return session().images().fromText(pathOrUrl);
    }

    /** Loads an image file. */
    public static Image image(Path file) {
        return session().images().fromPath(file, file.toString());
    }

    /** Loads an image file. */
    public static Image image(File file) {
        return image(file.toPath());
    }

    /** Downloads an image ({@code http}, {@code https}) or reads a {@code file:} URI. */
    public static Image image(URI uri) {
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return image(Path.of(uri));
        }
        return session().images().fromUrl(uri);
    }

    /** Downloads an image. */
    public static Image image(URL url) {
        try {
            return image(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a valid URL: " + e.getReason(), e);
        }
    }

    /** Decodes an image from its encoded bytes (PNG, JPEG, GIF, BMP, TIFF). */
    public static Image image(byte[] encoded) {
        return session().images().fromBytes(encoded, encoded.length + " bytes");
    }

    /** Wraps an image already in memory (converted to RGB; transparency goes onto white). */
    public static Image image(BufferedImage pixels) {
        return session().images().fromBufferedImage(pixels,
                "BufferedImage " + pixels.getWidth() + "×" + pixels.getHeight());
    }

    /** Loads every image file in a folder and its subfolders, sorted by path (names starting with "." skipped). */
    public static List<Image> images(String folder) {
        List<Image> out = new ArrayList<>();
        for (BatchItem item : BatchItem.fromFolder(Path.of(folder))) {
            out.add(image(item.path()));
        }
        return out;
    }

    // ---------------------------------------------------------------- asking

    /** Options to pass to {@code ask}, {@code chat}, {@code askAll} and {@code evaluate}; chain their setters. */
    public static AskOptions options() {
        return AskOptions.defaults();
    }

    /** Asks the model a question in text. */
    public static Answer ask(String prompt) {
        return ask(List.of(), prompt, AskOptions.defaults());
    }

    /** Asks the model a question in text, with options. */
    public static Answer ask(String prompt, AskOptions options) {
        return ask(List.of(), prompt, options);
    }

    /**
     * Asks the model about an image. In a notebook the answer streams into the cell and then shows the image with
     * its grounding boxes, the answer, the reasoning and timings. Interrupting the cell stops the model; the partial
     * answer stays shown and in {@link #lastAnswer()}.
     *
     * @throws ModelUnavailableException when the model could not be loaded (the message says why and what to do)
     */
    public static Answer ask(Image image, String prompt) {
        return ask(List.of(image), prompt, AskOptions.defaults());
    }

    /** Asks the model about an image, with options, e.g. {@code options().maxTokens(100).noThink()}. */
    public static Answer ask(Image image, String prompt, AskOptions options) {
        return ask(List.of(image), prompt, options);
    }

    /** Asks the model about several images at once (in order). */
    public static Answer ask(List<Image> images, String prompt) {
        return ask(images, prompt, AskOptions.defaults());
    }

    /** Asks the model about several images at once, with options. */
    public static Answer ask(List<Image> images, String prompt, AskOptions options) {
        return session().ask(List.of(), List.copyOf(images), prompt, options);
    }

    /** Starts a conversation that remembers earlier questions and answers. */
    public static Chat chat() {
        return new Chat(session(), AskOptions.defaults());
    }

    /** Starts a conversation whose every turn uses these options (e.g. a system prompt). */
    public static Chat chat(AskOptions options) {
        return new Chat(session(), options);
    }

    /** The most recent answer (also an interrupted one), or {@code null}. */
    public static Answer lastAnswer() {
        return session().lastAnswer();
    }

    /** Options every later {@code ask}, {@code chat} and {@code askAll} start from, e.g. {@code options().noThink()}. */
    public static void setDefaultOptions(AskOptions options) {
        session().defaults(options == null ? AskOptions.defaults() : options);
    }

    /** The options every call starts from. */
    public static AskOptions defaultOptions() {
        return session().defaults();
    }

    // ---------------------------------------------------------------- many images

    /**
     * Asks the same question of every image in a folder (and its subfolders), or of a list of image files, and
     * returns a table: file, prompt, answer, latency_ms, prompt_tokens, completion_tokens, model, error.
     *
     * <p>Each answer is appended to a CSV file the moment it is known: for a folder {@code photos} it is
     * {@code photos-answers.csv} beside the folder, for a list {@code answers.csv} in the working directory (choose
     * another with {@link #askAll(Object, String, Path)}). Running the same call again asks only what the file does
     * not answer yet for the same file content, prompt, model (name and weights, or endpoint and served name) and
     * options, so an interrupt or a crash loses nothing and other options never get stale answers. An image that
     * cannot be read, or that the model fails on, gets a row with its {@code error} (asked again next run). With
     * {@code options().concurrency(n)} n images are in flight at once (default: 8 for an endpoint, 1 in process);
     * rows are saved in input order. A progress bar with an ETA shows in the cell.
     *
     * @param folderOrFiles a folder (String, Path or File), or a list of image files (String, Path, File, or
     *                      {@link Image}s loaded from files)
     */
    public static Table askAll(Object folderOrFiles, String prompt) {
        return askAll(folderOrFiles, prompt, null, AskOptions.defaults());
    }

    /** {@link #askAll(Object, String)} with options. */
    public static Table askAll(Object folderOrFiles, String prompt, AskOptions options) {
        return askAll(folderOrFiles, prompt, null, options);
    }

    /** {@link #askAll(Object, String)} keeping the answers in {@code csv}. */
    public static Table askAll(Object folderOrFiles, String prompt, Path csv) {
        return askAll(folderOrFiles, prompt, csv, AskOptions.defaults());
    }

    /**
     * {@link #askAll(Object, String)} keeping the answers in {@code csv} (null for the default place), with options.
     *
     * @throws CancellationException when the cell is interrupted; the answers so far are in the CSV file
     */
    public static Table askAll(Object folderOrFiles, String prompt, Path csv, AskOptions options) {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("The prompt is empty: askAll(\"photos\", \"Describe the image.\")");
        }
        Session s = session();
        List<BatchItem> items = batchItems(folderOrFiles);
        Path file = csv != null ? csv : defaultCsv(folderOrFiles);
        AskOptions effective = s.defaults().with(options == null ? AskOptions.defaults() : options);
        VisionLanguageModel model = s.model();
        ServerStartWait.awaitIfStarting(model, s.output());
        ProgressBar bar = new ProgressBar(s.output(), "Asking \"" + prompt + "\" of " + items.size() + " image"
                + (items.size() == 1 ? "" : "s") + " · " + model.info().name() + " · saving to " + file);
        BatchProgress progress = new BatchProgress() {
            @Override
            public void started(int total, int alreadyDone) {
                bar.start(total, alreadyDone);
            }

            @Override
            public void answered(BatchResult result, int done, int total) {
                bar.step(done, result.file() + ": " + (result.failed() ? "error: " + result.error()
                        : shorten(result.answer())));
            }
        };
        int concurrency = effective.concurrencyOrNull() != null ? effective.concurrencyOrNull()
                : model.defaultConcurrency();
        BatchRun run = new BatchRunner(model).withOptions(effective.applyTo(Session.baseOptions(model)))
                .withSystemPrompt(effective.systemPrompt()).withConcurrency(concurrency)
                .run(items, prompt, file, progress, s.cancellation());
        int done = run.results().size();
        if (run.cancelled()) {
            bar.finish("Interrupted after " + done + " of " + run.total() + " images. The answers so far are in "
                    + file + "; run the cell again to go on.", true);
            if (s.output().interruptRequested()) {
                throw new CancellationException("Interrupted after " + done + " of " + run.total() + " images; the "
                        + "answers so far are in " + file + ". Run the cell again to go on from there.");
            }
        } else {
            bar.finish("Answered " + run.total() + " images (" + run.asked() + " now, " + run.reused()
                    + " from earlier runs) · saved in " + file, false);
        }
        return run.table();
    }

    /** Where askAll keeps answers by default: beside a folder, or in the working directory for a list. */
    static Path defaultCsv(Object folderOrFiles) {
        Path folder = asPath(folderOrFiles);
        if (folder != null && Files.isDirectory(folder)) {
            Path absolute = folder.toAbsolutePath().normalize();
            String name = absolute.getFileName() == null ? "images" : absolute.getFileName().toString();
            Path parent = absolute.getParent() == null ? absolute : absolute.getParent();
            return parent.resolve(name + "-answers.csv");
        }
        return Path.of("answers.csv").toAbsolutePath();
    }

    private static Path asPath(Object o) {
        if (o instanceof Path p) {
            return p;
        }
        if (o instanceof File f) {
            return f.toPath();
        }
        if (o instanceof String s) {
            return Path.of(s);
        }
        return null;
    }

    static List<BatchItem> batchItems(Object folderOrFiles) {
        if (folderOrFiles instanceof Collection<?> files) {
            List<BatchItem> items = new ArrayList<>();
            for (Object f : files) {
                Path p = f instanceof Image img ? Path.of(img.source()) : asPath(f);
                if (p == null || (f instanceof Image && !Files.isRegularFile(p))) {
                    throw new IllegalArgumentException("askAll takes image files (String, Path or File) or images "
                            + "loaded from files, got " + (f == null ? "null" : f.getClass().getSimpleName() + " "
                            + f) + ". Answers are kept by file name.");
                }
                items.add(BatchItem.of(p));
            }
            return items;
        }
        Path folder = asPath(folderOrFiles);
        if (folder == null) {
            throw new IllegalArgumentException("askAll takes a folder (String, Path or File) or a list of image files, "
                    + "got " + (folderOrFiles == null ? "null" : folderOrFiles.getClass().getSimpleName()));
        }
        return BatchItem.fromFolder(folder);
    }

    private static String shorten(String s) {
        String line = s.strip().replaceAll("\\s+", " ");
        return line.length() > 80 ? line.substring(0, 79) + "…" : line;
    }

    // ---------------------------------------------------------------- evaluation

    /** The bar an evaluation must reach: overall accuracy (0–1) and p95 latency in ms, e.g. {@code thresholds(0.9, 800)}. */
    public static Thresholds thresholds(double minAccuracy, double maxP95Millis) {
        return new Thresholds(minAccuracy, maxP95Millis);
    }

    /**
     * Runs the model over a JSONL data set (as {@code glimpse eval}: one {@code {"image", "question", "answer",
     * "type"}} per line, or another matcher instead of {@code answer}: {@code any_of}, {@code contains_all},
     * {@code contains_any}, {@code regex}, {@code number}, {@code list}, {@code judge}; see {@link EvalDataset})
     * with greedy decoding, showing a progress bar, and returns a {@link Scorecard}: accuracy and mean score per
     * type, latency p50/p95/max, failures with why they failed, a latency histogram, pass/fail against
     * {@link Thresholds#DEFAULT} (accuracy ≥ 90 %, p95 ≤ 800 ms) and a call-volume estimate. An item that cannot be
     * answered is an error row (counted wrong, its reason shown). {@code options().concurrency(n)} keeps n questions
     * in flight (default 8 for an endpoint, 1 in process); {@code options().judge(url)} grades {@code judge} items
     * with another model.
     *
     * @param dataset a .jsonl file (String, Path, File) or an {@link EvalDataset}
     */
    public static Scorecard evaluate(Object dataset) {
        return evaluate(dataset, AskOptions.defaults(), Thresholds.DEFAULT);
    }

    /** {@link #evaluate(Object)} with options (e.g. {@code options().noThink().maxTokens(32)}). */
    public static Scorecard evaluate(Object dataset, AskOptions options) {
        return evaluate(dataset, options, Thresholds.DEFAULT);
    }

    /**
     * {@link #evaluate(Object)} with options and thresholds.
     *
     * @throws CancellationException when the cell is interrupted; the partial scorecard is shown
     */
    public static Scorecard evaluate(Object dataset, AskOptions options, Thresholds thresholds) {
        return evaluate(dataset, null, options, thresholds);
    }

    /**
     * {@link #evaluate(Object)} keeping every answer in {@code answers} as it comes, as {@link #askAll} keeps its
     * CSV: running the same call again takes the answers the file holds for the same image content, question, model
     * and options instead of asking again, and scores them anew, so an interrupt or a crash loses nothing.
     */
    public static Scorecard evaluate(Object dataset, Path answers) {
        return evaluate(dataset, answers, AskOptions.defaults(), Thresholds.DEFAULT);
    }

    /** {@link #evaluate(Object, Path)} with options. */
    public static Scorecard evaluate(Object dataset, Path answers, AskOptions options) {
        return evaluate(dataset, answers, options, Thresholds.DEFAULT);
    }

    /**
     * {@link #evaluate(Object, Path)} with options and thresholds ({@code answers} null: keep no answers file).
     *
     * @throws CancellationException when the cell is interrupted; the partial scorecard is shown
     */
    public static Scorecard evaluate(Object dataset, Path answers, AskOptions options, Thresholds thresholds) {
        EvalDataset data = dataset instanceof EvalDataset d ? d : EvalDataset.read(requirePath(dataset));
        Session s = session();
        VisionLanguageModel model = s.model();
        ServerStartWait.awaitIfStarting(model, s.output());
        AskOptions effective = s.defaults().with(options == null ? AskOptions.defaults() : options);
        var generation = effective.applyTo(Session.baseOptions(model).withTemperature(0));
        int concurrency = effective.concurrencyOrNull() != null ? effective.concurrencyOrNull()
                : model.defaultConcurrency();
        ProgressBar bar = new ProgressBar(s.output(), "Evaluating " + data.source().getFileName() + " · "
                + data.size() + " questions · " + model.info().name()
                + (concurrency > 1 ? " · " + concurrency + " at a time" : ""));
        bar.start(data.size(), 0);
        EvalRunner runner = new EvalRunner(model).withOptions(generation).withConcurrency(concurrency);
        if (answers != null) {
            runner = runner.withAnswersFile(answers);
        }
        if (effective.judgeOrNull() != null) {
            runner = runner.withJudge(new ModelJudge(JudgeEndpoint.connect(effective.judgeOrNull())));
        }
        Evaluation evaluation = runner.run(data,
                (result, done, total) -> bar.step(done, (result.correct() ? "✓ " : "✗ ") + result.image() + ": "
                        + shorten(result.answer())), s.cancellation());
        Scorecard card = new Scorecard(evaluation, thresholds == null ? Thresholds.DEFAULT : thresholds);
        bar.finish(evaluation.cancelled() ? "Interrupted after " + evaluation.results().size() + " of " + data.size()
                + " questions." : "Evaluated " + data.size() + " questions" + (evaluation.resumed() > 0
                ? " (" + evaluation.resumed() + " answers resumed from " + answers + ")." : "."),
                evaluation.cancelled());
        if (evaluation.cancelled() && s.output().interruptRequested()) {
            s.output().show(ScorecardView.bundle(card));
            throw new CancellationException("Interrupted after " + evaluation.results().size() + " of "
                    + data.size() + " questions; the partial scorecard is shown above.");
        }
        return card;
    }

    private static Path requirePath(Object o) {
        Path p = asPath(o);
        if (p == null) {
            throw new IllegalArgumentException("evaluate takes a .jsonl file (String, Path or File) or an EvalDataset, "
                    + "got " + (o == null ? "null" : o.getClass().getSimpleName()));
        }
        return p;
    }

    // ---------------------------------------------------------------- the web page

    /**
     * Starts the web page of {@code glimpse web} on the model this kernel holds (the same one, not a second copy)
     * at http://127.0.0.1:7860/ (any free port when that is taken), and shows its link. People who do not write
     * code can then drop photos and ask there; the page streams answers with their boxes. Calling it again shows the
     * running page; it stops with the kernel, or with {@link #stopWebPage()}. Waits (showing progress) while the
     * model loads.
     */
    public static WebPageLink webPage() {
        return webPage(NotebookWebPage.DEFAULT_PORT);
    }

    /**
     * {@link #webPage()} on the given port of 127.0.0.1 (0 for any free one).
     *
     * @throws IllegalArgumentException when the port is taken
     */
    public static WebPageLink webPage(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535, was " + port);
        }
        Session s = session();
        return s.webPage().start(s.model(), port);
    }

    /** Stops the web page started by {@link #webPage()}; whether one was running. */
    public static boolean stopWebPage() {
        return session().webPage().stop();
    }

    // ---------------------------------------------------------------- the model

    /**
     * The loaded model, for calling the engine directly; waits (showing progress) while it loads.
     *
     * @throws ModelUnavailableException when it could not be loaded, saying why and what to do
     */
    public static VisionLanguageModel model() {
        return session().model();
    }

    /** What the model slot holds now (loading, ready, failed or empty), without waiting. */
    public static ModelStatus modelStatus() {
        return ModelStatus.of(session().slot().state());
    }

    /**
     * Loads another model, closing the current one first to free its memory, and waits for it: a GLM-4V model
     * directory, or an {@code http(s)://} URL of an OpenAI-compatible endpoint. Same as {@code %model DIR|URL}.
     */
    public static ModelStatus loadModel(String directoryOrUrl) {
        Session s = session();
        s.load(ModelSource.parse(directoryOrUrl, "loadModel", null, System.getenv()));
        s.model();
        return modelStatus();
    }

    /** Uses a model created elsewhere (closing the current one). */
    public static void useModel(VisionLanguageModel model) {
        session().slot().use(model, new ModelSource.Directory(Path.of(model.info().source()), "useModel"));
    }

    /** Closes the model and frees its memory; {@code ask} fails until another is loaded. Same as {@code %model unload}. */
    public static ModelStatus unloadModel() {
        session().slot().unload(ModelSlotNotes.UNLOADED);
        return modelStatus();
    }
}
