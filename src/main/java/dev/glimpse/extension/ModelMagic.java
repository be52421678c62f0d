package dev.glimpse.extension;

import dev.glimpse.engine.glm4v.DtypeChoice;
import dev.glimpse.kernel.magic.LineMagic;
import dev.glimpse.kernel.magic.MagicArguments;
import dev.glimpse.kernel.magic.MagicContext;
import dev.glimpse.kernel.magic.MagicException;

import java.util.List;

/** {@code %model}: show the loaded model, load another from a directory or URL, or unload it. */
final class ModelMagic implements LineMagic {

    static final String HELP = """
            Show or change the vision-language model that ask(..) uses.
              %model              what is loaded: name, source, device, dtype, parameters, memory, load time
              %model DIR          load a GLM-4V model directory (the current model is closed first, freeing its memory)
              %model ORG/NAME[@REVISION]
                                  load a model from the Hugging Face Hub, e.g. zai-org/GLM-4.6V-Flash: from the
                                  Hub cache, or downloaded into it first with progress (HF_TOKEN, HF_ENDPOINT)
              %model DIR DTYPE    ... in bfloat16, float32 or float16 (default: $GLIMPSE_DTYPE, else bfloat16 where
                                  the hardware has it)
              %model URL          use an OpenAI-compatible endpoint (http://host:port/v1): the key is
                                  OPENAI_API_KEY; GLIMPSE_MODEL_NAME and GLIMPSE_API_KEY apply only when URL
                                  is $GLIMPSE_MODEL
              %model unload       close the model and free its memory
            At start the kernel loads $GLIMPSE_MODEL, else models/glimpse-tiny, in the background.""";

    private final Session session;

    ModelMagic(Session session) {
        this.session = session;
    }

    @Override
    public Object run(String args, MagicContext context) {
        List<String> words = MagicArguments.split(args);
        if (words.isEmpty()) {
            return Vision.modelStatus();
        }
        if (words.size() > 2) {
            throw new MagicException("%model takes a directory and an optional dtype, a URL, or unload; got "
                    + words.size() + " words: " + args + ". Quote a path with spaces: %model \"my models/x\"");
        }
        String arg = words.get(0);
        if (arg.equals("unload")) {
            var unloaded = session.slot().unload(ModelSlotNotes.UNLOADED);
            context.out().println(unloaded.map(r -> "Unloaded " + r.model().info().name()
                    + (r.model().info().weightBytes() > 0 ? ", freeing " + ModelStatusView.bytes(
                    r.model().info().weightBytes()) + " of weights." : "."))
                    .orElse("No model was loaded."));
            return null;
        }
        ModelSource source;
        try {
            source = ModelSource.parse(arg, "%model", context.workingDirectory(), System.getenv());
            if (words.size() == 2) {
                if (!(source instanceof ModelSource.Directory dir)) {
                    throw new IllegalArgumentException("A dtype (" + words.get(1) + ") is for a local model directory,"
                            + " not an endpoint: use %model " + arg);
                }
                source = new ModelSource.Directory(dir.path(), dir.origin(), DtypeChoice.parse(words.get(1)));
            }
        } catch (IllegalArgumentException e) {
            throw new MagicException(e.getMessage(), e);
        }
        session.load(source);
        LoadProgress progress = new LoadProgress(session.output());
        try {
            session.slot().await(progress); // waits, showing progress
        } catch (ModelUnavailableException e) {
            throw new MagicException(e.getMessage(), e);
        }
        return tableAfterLoad(Vision.modelStatus(), progress);
    }

    /**
     * The table {@code %model DIR} shows below its load line: without the warnings when that line already showed
     * them (once in the cell is enough); with them when it did not (the load ended before the cell could show it).
     */
    static ModelStatus tableAfterLoad(ModelStatus status, LoadProgress progress) {
        return progress.showedWarnings() ? status.withoutWarnings() : status;
    }
}
