package org.deephash4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deephash4j.data.EmbeddedSubset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Regenerates the embedded Fashion-MNIST subset (maintainers only). */
@Command(name = "make-embedded-subset", hidden = true, mixinStandardHelpOptions = true,
        description = "Write the embedded Fashion-MNIST subset (300 training + 100 test images per class, seed 20171).")
final class MakeEmbeddedSubsetCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Folder with the full Fashion-MNIST IDX files.")
    Path source;

    @Parameters(index = "1", description = "Output folder.")
    Path output;

    @Override
    public Integer call() throws Exception {
        EmbeddedSubset.write(source, output);
        System.out.println("wrote " + output);
        return ExitCode.OK;
    }
}
