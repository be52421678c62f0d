package dev.glimpse.engine.glm4v;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.AnswerParser;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.ModelLocation;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.Timings;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.Usage;
import dev.glimpse.engine.VisionLanguageModel;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * GLM-4V ({@code Glm4vForConditionalGeneration}, e.g. GLM-4.6V-Flash or GLM-4.1V-9B-Thinking) running in this JVM
 * on DJL's PyTorch engine.
 *
 * <pre>{@code
 * try (Glm4vModel model = Glm4vModel.load(Path.of("GLM-4.6V-Flash"))) {
 *     Answer a = model.generate(Prompt.of("What is in this image?", image), model.defaultOptions());
 * }
 * }</pre>
 *
 * <p>Runs on a GPU when DJL's PyTorch has CUDA and sees one, otherwise on the CPU, in bfloat16 where the hardware
 * computes it natively, else float16 on a GPU and float32 on a CPU ({@link DefaultDtype}; override with
 * {@link Options}). bf16 weights are memory-mapped from the checkpoint, not copied. Calls to {@code generate} are serialised: the model is safe to share between
 * threads, one answer at a time.
 */
public final class Glm4vModel implements VisionLanguageModel {

    private static final System.Logger LOG = System.getLogger(Glm4vModel.class.getName());

    /**
     * How to load a model.
     *
     * @param device               where to run, or {@code null} for a GPU when available, else the CPU
     * @param dtype                {@code BFLOAT16}, {@code FLOAT32} or {@code FLOAT16}, or {@code null} for
     *                             {@code $GLIMPSE_DTYPE}, else {@link DefaultDtype}'s choice for the device
     * @param threads              intra-op threads for the CPU, or 0 to use one per available processor
     * @param attentionBudgetBytes the most memory one attention chunk's scores may take (see
     *                             {@link ScaledDotProductAttention})
     * @param availableMemoryBytes the memory to plan the load against ({@link MemoryPlan}), or 0 to read it from
     *                             the machine (MemAvailable and the cgroup limit; the GPU's memory)
     */
    public record Options(Device device, DataType dtype, int threads, long attentionBudgetBytes,
                          long availableMemoryBytes) {

        /** Automatic device and dtype, one thread per processor, a 512 MiB attention budget, measured memory. */
        public static final Options DEFAULT =
                new Options(null, null, 0, ScaledDotProductAttention.DEFAULT_SCORE_BUDGET_BYTES, 0);

        public Options {
            if (dtype != null && dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16
                    && dtype != DataType.BFLOAT16) {
                throw new IllegalArgumentException("dtype must be FLOAT32, FLOAT16 or BFLOAT16, was " + dtype);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be 0 (automatic) or positive, was " + threads);
            }
            if (attentionBudgetBytes <= 0) {
                throw new IllegalArgumentException("attentionBudgetBytes must be positive, was " + attentionBudgetBytes);
            }
            if (availableMemoryBytes < 0) {
                throw new IllegalArgumentException("availableMemoryBytes must be 0 (measure) or positive, was "
                        + availableMemoryBytes);
            }
        }

        public Options withDevice(Device d) {
            return new Options(d, dtype, threads, attentionBudgetBytes, availableMemoryBytes);
        }

        public Options withDtype(DataType t) {
            return new Options(device, t, threads, attentionBudgetBytes, availableMemoryBytes);
        }

        public Options withThreads(int n) {
            return new Options(device, dtype, n, attentionBudgetBytes, availableMemoryBytes);
        }

        public Options withAttentionBudgetBytes(long bytes) {
            return new Options(device, dtype, threads, bytes, availableMemoryBytes);
        }

        /** Plans the load against this much memory instead of the machine's (tests; 0 measures). */
        public Options withAvailableMemoryBytes(long bytes) {
            return new Options(device, dtype, threads, attentionBudgetBytes, bytes);
        }
    }

    /**
     * An answer with what the GLM-4V network saw and scored, for diagnostics and the CLI's JSON output.
     *
     * @param answer        the answer
     * @param inputIds      the prompt's token ids, image tokens expanded
     * @param firstStepTop5 the five highest logits of the first generated position, best first
     */
    public record DetailedAnswer(Answer answer, int[] inputIds, List<TokenLogit> firstStepTop5) {
        public DetailedAnswer {
            inputIds = inputIds.clone();
            firstStepTop5 = List.copyOf(firstStepTop5);
        }
    }

    private final ModelDirectory directory;
    private final NDManager manager;
    private final Glm4vForConditionalGeneration network;
    private final Glm4vProcessor processor;
    private final Set<Integer> stopIds;
    private final ModelInfo info;
    private boolean closed;

    private Glm4vModel(ModelDirectory directory, NDManager manager, Glm4vForConditionalGeneration network,
                       Glm4vProcessor processor, ModelInfo info) {
        this.directory = directory;
        this.manager = manager;
        this.network = network;
        this.processor = processor;
        this.info = info;
        Set<Integer> stops = new LinkedHashSet<>(directory.generationConfig().eosTokenIds());
        stops.addAll(directory.config().text().eosTokenIds());
        if (stops.isEmpty()) {
            SpecialTokens s = processor.specialTokens();
            stops.addAll(List.of(s.endOfText(), s.user(), s.observation()));
        }
        this.stopIds = Set.copyOf(stops);
    }

    /** Loads a model directory with {@link Options#DEFAULT}. */
    public static Glm4vModel load(Path modelDir) {
        return load(modelDir, Options.DEFAULT);
    }

    /**
     * Loads a model directory (config.json, *.safetensors, tokenizer.json, optional generation_config.json and
     * preprocessor_config.json).
     *
     * @throws IllegalArgumentException naming the path and the fix when the directory is incomplete or not GLM-4V
     */
    public static Glm4vModel load(Path modelDir, Options options) {
        long t0 = System.nanoTime();
        ModelDirectory directory = ModelDirectory.open(modelDir);
        Engine engine = startEngine(options.threads());
        Device device = options.device() != null ? options.device() : defaultDevice(engine);
        DataType dtype = options.dtype() != null ? options.dtype()
                : DtypeChoice.fromEnvironment(System.getenv(DtypeChoice.ENVIRONMENT_VARIABLE))
                        .orElseGet(() -> DefaultDtype.forDevice(device));
        MemoryPlan plan = plan(directory, device, dtype, options.availableMemoryBytes());
        if (plan != null && plan.verdict() == MemoryPlan.Verdict.REFUSE) {
            throw new InsufficientMemoryException(plan, plan.message(directory.path()));
        }
        // said where the user looks (the notebook cell, the CLI's stderr) through ModelInfo.warnings, not in a log
        List<String> warnings = plan != null && plan.verdict() == MemoryPlan.Verdict.TIGHT
                ? List.of(plan.message(directory.path())) : List.of();
        warnings.forEach(w -> LOG.log(System.Logger.Level.INFO, w));
        NDManager manager = engine.newBaseManager(device);
        Glm4vProcessor processor = null;
        try {
            processor = Glm4vProcessor.open(directory);
            long[] parameters = {0};
            Glm4vForConditionalGeneration network;
            try (ModelWeights weights = directory.openWeights()) {
                network = Glm4vForConditionalGeneration.load(directory.config(), name -> {
                    NDArray w = weights.load(name, manager, dtype);
                    parameters[0] += w.size();
                    return w;
                }, new ScaledDotProductAttention(options.attentionBudgetBytes()));
            }
            if (dtype == DataType.BFLOAT16 && !device.isGpu()) {
                LOG.log(System.Logger.Level.INFO, "bf16 decoding rows: " + JavaBf16RowProduct.ROUTE);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            ModelInfo info = new ModelInfo(ModelLocation.nameOf(directory.path()), directory.path().toString(),
                    device.toString(), NonFiniteLogitsException.name(dtype), parameters[0],
                    parameters[0] * dtype.getNumOfBytes(), millis, warnings);
            return new Glm4vModel(directory, manager, network, processor, info);
        } catch (RuntimeException | Error e) {
            if (processor != null) {
                processor.close();
            }
            manager.close();
            throw e;
        }
    }

    /**
     * Starts DJL's PyTorch engine. Thread counts are read once, when the engine starts: intra-op threads default
     * to one per processor (DJL's own default is 2), inter-op threads to 1 because generation issues one op at a
     * time. Explicit {@code -Dai.djl.pytorch.num_threads} / {@code num_interop_threads} settings win.
     */
    private static Engine startEngine(int threads) {
        int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intra));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads); // the engine was already running with another count
        }
        return engine;
    }

    /**
     * The memory plan for loading {@code directory} in {@code dtype} on {@code device}, from the checkpoint's
     * headers only; {@code null} when there is no figure to compare with (e.g. a GPU DJL cannot query).
     */
    static MemoryPlan plan(ModelDirectory directory, Device device, DataType dtype, long availableOverride) {
        long elements = 0;
        boolean allBf16 = true;
        try (ModelWeights weights = directory.openWeights()) {
            for (String name : weights.names()) {
                TensorInfo t = weights.info(name);
                elements += t.elementCount();
                allBf16 &= t.dtype() == SafetensorsDtype.BF16;
            }
        }
        boolean gpu = device.isGpu();
        boolean mapped = dtype == DataType.BFLOAT16 && !gpu && allBf16;
        long available = availableOverride;
        if (available == 0) {
            java.util.OptionalLong measured = gpu ? gpuMemory(device) : MemoryPlan.hostAvailableBytes();
            if (measured.isEmpty()) {
                return null;
            }
            available = measured.getAsLong();
        }
        return new MemoryPlan(elements * dtype.getNumOfBytes(), mapped, MemoryPlan.WORKING_BYTES, available,
                NonFiniteLogitsException.name(dtype), gpu ? "gpu" : "cpu");
    }

    private static java.util.OptionalLong gpuMemory(Device device) {
        try {
            java.lang.management.MemoryUsage usage = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
            return usage.getMax() > 0 ? java.util.OptionalLong.of(usage.getMax() - Math.max(0, usage.getCommitted()))
                    : java.util.OptionalLong.empty();
        } catch (RuntimeException | LinkageError e) {
            return java.util.OptionalLong.empty();
        }
    }

    private static Device defaultDevice(Engine engine) {
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA) && engine.getGpuCount() > 0;
        return cuda ? Device.gpu() : Device.cpu();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** config.json's {@code max_position_embeddings}. */
    @Override
    public int contextLength() {
        return directory.config().text().maxPositionEmbeddings();
    }

    /** Counts with the model's tokenizer and image grids; thread-safe, and does not wait for a generation. */
    @Override
    public int promptTokens(Prompt prompt, boolean thinking) {
        if (closed) {
            throw new IllegalStateException("This model was closed; load it again to count tokens");
        }
        return processor.promptTokens(prompt, thinking);
    }

    /** The model directory's generation_config.json sampling defaults applied to {@link GenerationOptions#DEFAULT}. */
    @Override
    public GenerationOptions defaultOptions() {
        return directory.generationConfig().applyTo(GenerationOptions.DEFAULT);
    }

    /** Token ids that end generation: generation_config.json's and config.json's {@code eos_token_id}s. */
    public Set<Integer> stopIds() {
        return stopIds;
    }

    /** The network, for tests that look inside a generation. */
    Glm4vForConditionalGeneration network() {
        return network;
    }

    /** The tokenizer, chat format and image processor, e.g. to count a prompt's tokens. */
    public Glm4vProcessor processor() {
        return processor;
    }

    @Override
    public Answer generate(Prompt prompt, GenerationOptions options, TokenListener listener,
                           CancellationToken cancel) {
        return generateDetailed(prompt, options, listener, cancel).answer();
    }

    /** {@link #generate} that also returns the prompt's ids and the first step's top logits. */
    public DetailedAnswer generateDetailed(Prompt prompt, GenerationOptions options, TokenListener listener,
                                           CancellationToken cancel) {
        return generateDetailed(prompt, options, listener, cancel, stopIds);
    }

    /**
     * {@link #generateDetailed(Prompt, GenerationOptions, TokenListener, CancellationToken)} with other stop ids;
     * an empty set runs to {@code maxNewTokens}, which benchmarks need for a fixed decode length.
     */
    synchronized DetailedAnswer generateDetailed(Prompt prompt, GenerationOptions options, TokenListener listener,
                                                 CancellationToken cancel, Set<Integer> stopIds) {
        if (closed) {
            throw new IllegalStateException("This model was closed; load it again to generate");
        }
        long t0 = System.nanoTime();
        ModelInputs inputs;
        try {
            inputs = processor.encode(prompt, options.thinking(), cancel);
        } catch (GenerationCancelled e) {
            double millis = (System.nanoTime() - t0) / 1e6;
            Answer nothing = new Answer("", "", List.of(), new Usage(0, 0),
                    new Timings(millis, 0, 0, List.of(), millis), FinishReason.CANCELLED, List.of());
            return new DetailedAnswer(nothing, new int[0], List.of());
        }
        int[] inputIds = inputs.inputIds();
        double preprocessMillis = (System.nanoTime() - t0) / 1e6;

        TokenStream stream = new TokenStream(processor.tokenizer(), processor.specialTokens(), listener, stopIds,
                options.maxNewTokens());
        GenerationLoop.Result result;
        try (NDManager call = manager.newSubManager()) {
            NDArray pixelValues = inputs.grids().isEmpty() ? null : inputs.images().pixelValues(call);
            result = new GenerationLoop(network, stopIds).run(call, inputIds, pixelValues, inputs.grids(), options,
                    stream::accept, cancel);
        }
        int[] generated = result.tokens().stream().mapToInt(Integer::intValue).toArray();
        AnswerParser.Parsed parsed = AnswerParser.parse(stream.text());
        double totalMillis = (System.nanoTime() - t0) / 1e6;
        Timings timings = new Timings(preprocessMillis, result.visionMillis(), result.prefillMillis(),
                result.decodeMillis(), totalMillis);
        Answer answer = new Answer(parsed.text(), parsed.reasoning(), parsed.boxes(),
                new Usage(inputIds.length, generated.length), timings, result.finishReason(), result.tokens());
        return new DetailedAnswer(answer, inputIds, result.firstTop());
    }

    /** Frees the weights. Further calls fail. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            manager.close();
            processor.close();
        }
    }
}
