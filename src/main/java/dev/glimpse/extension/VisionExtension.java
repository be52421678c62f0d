package dev.glimpse.extension;

import dev.glimpse.kernel.spi.ExtensionContext;
import dev.glimpse.kernel.spi.KernelExtension;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Makes every Glimpse notebook a vision notebook: starts loading the configured model in the background as the
 * kernel starts (cells that do not need it run at once; the first that does waits, showing progress), imports the
 * {@link Vision} helpers and the types they return, registers how images, answers, chats, scorecards and the model
 * status show, and adds {@code %model}.
 *
 * <p>Listed in {@code META-INF/services/dev.glimpse.kernel.spi.KernelExtension}, so the kernel installs it from its
 * own classpath. {@code GLIMPSE_LOAD_EXTENSIONS=0} turns it off with every other extension.
 */
public final class VisionExtension implements KernelExtension {
    private static final Logger LOG = LoggerFactory.getLogger(VisionExtension.class);

    /** What cells import: the helpers, and the types they return so that they can be named. */
    static final String[] IMPORTS = {
            "import static dev.glimpse.extension.Vision.*;",
            "import dev.glimpse.extension.Answer;",
            "import dev.glimpse.extension.AskOptions;",
            "import dev.glimpse.extension.Chat;",
            "import dev.glimpse.extension.Image;",
            "import dev.glimpse.extension.Scorecard;",
            "import dev.glimpse.extension.WebPageLink;",
            "import tech.tablesaw.api.Table;"};

    @Override
    public void install(ExtensionContext context) {
        Session session = Session.current();
        session.attach(new KernelCellOutput(context), context::background);
        register(context.renderer());
        context.magics().registerLineMagic("model", ModelMagic.HELP, new ModelMagic(session));
        context.addImports(IMPORTS);
        ModelSource source;
        try {
            source = ModelSource.configured();
        } catch (IllegalArgumentException e) {
            // a GLIMPSE_MODEL that is not even a valid path or URL: the first model cell says so
            session.slot().fail(new ModelUnavailableException(e.getMessage(), e));
            return;
        }
        LOG.info("Loading the model {} in the background", source.describe());
        session.load(source);
    }

    /** Stops the web page, if one runs, and closes the model. */
    @Override
    public void uninstall() {
        Session.current().webPage().stop();
        Session.current().slot().unload("the kernel is shutting down");
    }

    static void register(Renderer renderer) {
        registration(renderer, Image.class, ImageView::bundle, Bundle.PNG, Bundle.PLAIN);
        registration(renderer, Answer.class, AnswerView::bundle, Bundle.PNG, Bundle.HTML, Bundle.MARKDOWN,
                Bundle.PLAIN);
        registration(renderer, Chat.class, ChatView::bundle, Bundle.HTML, Bundle.MARKDOWN, Bundle.PLAIN);
        registration(renderer, Scorecard.class, ScorecardView::bundle, Bundle.HTML, Bundle.PNG, Bundle.PLAIN);
        registration(renderer, ModelStatus.class, ModelStatusView::bundle, Bundle.HTML, Bundle.PLAIN);
        registration(renderer, WebPageLink.class, WebPageLinkView::bundle, Bundle.HTML, Bundle.PLAIN);
        registration(renderer, AskOptions.class, o -> new Bundle().put(Bundle.PLAIN, o.toString()), Bundle.PLAIN);
    }

    private static <T> void registration(Renderer renderer, Class<T> type, Function<T, Bundle> view,
                                         String... mimeTypes) {
        renderer.createRegistration(type).preferring(mimeTypes).register((value, context) -> {
            Bundle bundle = view.apply(value);
            bundle.render(context);
            if (value instanceof Answer answer && answer.displayId() != null) {
                // an answer streamed into a cell and returned as its value replaces that output (no second copy)
                context.getOutputContainer().setDisplayId(answer.displayId());
            }
        });
    }
}
