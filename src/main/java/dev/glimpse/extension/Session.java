package dev.glimpse.extension;

import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Part;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.Role;
import dev.glimpse.engine.VisionLanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The state behind the {@link Vision} helpers: the model slot, where output goes, default options, the last answer.
 * One per JVM ({@link #current()}); the kernel extension attaches it to the notebook, plain Java uses it as is.
 */
final class Session {

    private static final Session CURRENT = new Session();

    private final ModelSlot slot = new ModelSlot();
    private final NotebookWebPage webPage = new NotebookWebPage(slot);
    private final ImageSources images = new ImageSources(new ImageLoader());
    private volatile CellOutput output = CellOutput.NONE;
    private volatile BiFunction<String, Callable<VisionLanguageModel>, CompletableFuture<VisionLanguageModel>> loader =
            Session::loadHere;
    private volatile AskOptions defaults = AskOptions.defaults();
    private volatile Answer lastAnswer;

    static Session current() {
        return CURRENT;
    }

    /** Shows output in a notebook and loads models on the kernel's background threads. */
    void attach(CellOutput notebook,
                BiFunction<String, Callable<VisionLanguageModel>, CompletableFuture<VisionLanguageModel>> background) {
        this.output = notebook;
        this.loader = background;
    }

    CellOutput output() {
        return output;
    }

    ModelSlot slot() {
        return slot;
    }

    NotebookWebPage webPage() {
        return webPage;
    }

    ImageSources images() {
        return images;
    }

    AskOptions defaults() {
        return defaults;
    }

    void defaults(AskOptions options) {
        this.defaults = options;
    }

    Answer lastAnswer() {
        return lastAnswer;
    }

    /** Starts loading a model (in the background in a kernel, here and now in plain Java). */
    ModelSlot.Loading load(ModelSource source) {
        return slot.load(source, loader);
    }

    private static CompletableFuture<VisionLanguageModel> loadHere(String name, Callable<VisionLanguageModel> work) {
        try {
            return CompletableFuture.completedFuture(work.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The model, waiting (with a progress line in a notebook) while it loads. In plain Java the configured model
     * is loaded on first use.
     */
    VisionLanguageModel model() {
        if (!output.live() && slot.state() instanceof ModelSlot.Empty empty && empty.note().equals(ModelSlotNotes.NEVER)) {
            load(ModelSource.configured());
        }
        return slot.await(new LoadProgress(output));
    }

    /**
     * How the model answers unless told otherwise: greedily, so the same question gets the same answer (in process or
     * from an endpoint), with the model's own top-p, top-k and repetition penalty for when a temperature is given.
     */
    static GenerationOptions baseOptions(VisionLanguageModel model) {
        return model.defaultOptions().withTemperature(0.0);
    }

    CancellationToken cancellation() {
        CellOutput out = output;
        return out.live() ? out::interruptRequested : CancellationToken.NEVER;
    }

    /**
     * Asks a question, streaming the answer into the cell in a notebook.
     *
     * @param history earlier turns (user and assistant messages), for chats
     * @throws CancellationException when the cell was interrupted; the partial answer is shown and kept as
     *                               {@link #lastAnswer()}
     */
    Answer ask(List<Message> history, List<Image> pictures, String prompt, AskOptions options) {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("The prompt is empty: ask(image, \"What is in this image?\")");
        }
        AskOptions effective = defaults.with(options == null ? AskOptions.defaults() : options);
        VisionLanguageModel model = model();
        GenerationOptions generation = effective.applyTo(baseOptions(model));
        List<Message> messages = new ArrayList<>();
        if (effective.systemPrompt() != null) {
            messages.add(Message.system(effective.systemPrompt()));
        }
        messages.addAll(history);
        messages.add(Message.user(prompt, pictures.stream().map(Image::input).toArray(ImageInput[]::new)));
        AnswerStream stream = new AnswerStream(output, prompt, pictures, model.info().name());
        stream.start();
        dev.glimpse.engine.Answer raw = ServerStartWait.generate(model, new Prompt(messages), generation, stream,
                output);
        Answer answer = new Answer(raw, prompt, pictures, model.info(), stream.displayId());
        lastAnswer = answer;
        stream.finish(answer);
        if (answer.interrupted() && output.interruptRequested()) {
            throw new CancellationException(answer.completionTokens() == 0
                    ? "Interrupted before the first token (while the model read the images and the prompt). "
                            + "lastAnswer() keeps the question."
                    : "Interrupted after " + answer.completionTokens() + " tokens. The partial answer is shown above "
                            + "and kept in lastAnswer().");
        }
        return answer;
    }

    /** The user and assistant messages of earlier answers, for a chat. */
    static List<Message> turns(List<Answer> answers) {
        List<Message> messages = new ArrayList<>();
        for (Answer a : answers) {
            List<Part> parts = new ArrayList<>();
            a.images().forEach(i -> parts.add(new Part.Image(i.input())));
            parts.add(new Part.Text(a.prompt()));
            messages.add(new Message(Role.USER, parts));
            messages.add(Message.assistant(a.text()));
        }
        return messages;
    }
}
