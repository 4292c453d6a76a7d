package org.deephash4j.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Preprocessing;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.eval.EvalResult;
import org.deephash4j.eval.Evaluator;
import org.deephash4j.hashing.Dsdh;
import org.deephash4j.hashing.HashNet;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import org.deephash4j.model.PretrainedBackbone;
import org.deephash4j.train.Progress;
import org.deephash4j.train.TrainConfig;
import org.deephash4j.train.Trainer;
import org.deephash4j.zoo.Backbone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a hashing method on a data set and writes a checkpoint after every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a deep hashing model; writes a checkpoint (safetensors) after every epoch.",
            "Example: deephash train --method HashNet --bits 48 --epochs 20 --out runs/hashnet-48.safetensors",
            "Photos:  deephash train --data photos/ --model resnet18 --image-size 3x224x224 --resize 256 --augment "
                    + "--pretrained resnet18.safetensors --backbone-lr-scale 0.1 --freeze-epochs 1"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--method", paramLabel = "NAME", description = "DLBHC, DHN, HashNet, DSDH or ExpH (default HashNet).")
    String method = "HashNet";

    @Option(names = "--bits", description = "Code length K (default 48).")
    int bits = 48;

    @Option(names = "--epochs", description = "Passes over the training images (default 20).")
    int epochs = 20;

    @Option(names = "--batch", description = "Images per step (default 128).")
    int batch = 128;

    @Option(names = "--lr", description = "Adam learning rate (default: the method's own, 1e-3, or 1e-4 for DHN "
            + "and DSDH, which collapse to one code at 1e-3).")
    Float lr;

    @Option(names = "--weight-decay", description = "L2 weight decay (default 0).")
    float weightDecay = 0f;

    @Option(names = "--seed", description = "Initialisation and shuffling seed (default 0).")
    long seed = 0;

    @Option(names = "--model", paramLabel = "NAME", description = "lenet, cifarnet, resnet18 or alexnet (default: lenet or cifarnet, "
            + "the one that fits the images; resnet18 and alexnet take --image-size).")
    String model;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "Start the backbone (resnet18, alexnet) from a torchvision "
            + "state_dict saved with safetensors.torch.save_file; its classifier (fc, classifier.6) is not used.")
    Path pretrained;

    @Option(names = "--backbone-lr-scale", paramLabel = "S", description = "The backbone learns at S x the learning rate of the head "
            + "(default 1; 0.1 fine-tunes a pretrained backbone as DHN and HashNet do).")
    float backboneLrScale = 1f;

    @Option(names = "--freeze-epochs", paramLabel = "N", description = "Keep the backbone frozen (not updated, batch normalisation in "
            + "evaluation mode) for the first N epochs; only the head learns (default 0).")
    int freezeEpochs = 0;

    @Option(names = "--resize", paramLabel = "S", description = "resnet18, alexnet: scale images so their shorter side is S before the "
            + "crop of --image-size (default: just cover it; 256 for 224 crops as in the papers).")
    int resize = 0;

    @Option(names = "--augment", description = "Training images get a seeded random crop (of the --resize margin) and a horizontal flip.")
    boolean augment;

    @Option(names = "--beta-gamma", paramLabel = "G", description = "HashNet: the continuation beta = (1 + G t)^0.5, t the step "
            + "rounded down to a multiple of --beta-step (default 0.005, the paper's; the PyTorch peer hash_ref.py uses 15 / the run's steps).")
    Double betaGamma;

    @Option(names = "--beta-step", paramLabel = "S", description = "HashNet: beta changes every S steps (default 200, the paper's; "
            + "hash_ref.py uses 50).")
    Integer betaStep;

    @Option(names = "--dsdh-code-eta", paramLabel = "E", description = "DSDH: eta of the B step (codes from W and the bank) apart "
            + "from the network step's (default: the same, 110; hash_ref.py's B step uses 55).")
    Double dsdhCodeEta;

    @Option(names = "--dsdh-sweeps", paramLabel = "S", description = "DSDH: at most S sweeps of the B step's coordinate descent "
            + "(default 10, the official code's; hash_ref.py runs 3).")
    Integer dsdhSweeps;

    @Option(names = "--out", paramLabel = "FILE", description = "Checkpoint to write (default runs/<method>-<bits>.safetensors).")
    Path out;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the run saved in this checkpoint (up to --epochs).")
    Path resume;

    @Option(names = "--eval", description = "Evaluate on the split's queries and database when training ends.")
    boolean evaluate;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    DeviceOption deviceOption;

    @Override
    public Integer call() throws Exception {
        String methodName = HashingMethods.canonical(method);
        Checkpoint saved = resume != null ? Checkpoint.read(resume) : null;
        TrainConfig savedConfig = saved != null ? savedConfig(saved, methodName) : null;
        if (saved != null && (betaGamma != null || betaStep != null)) {
            throw new IllegalArgumentException("--beta-gamma and --beta-step start a new run; a resumed run goes on with the schedule "
                    + "saved in " + resume);
        }
        if (saved != null && (dsdhCodeEta != null || dsdhSweeps != null)) {
            throw new IllegalArgumentException("--dsdh-code-eta and --dsdh-sweeps start a new run; a resumed run goes on with the "
                    + "constants saved in " + resume);
        }
        if (saved != null && pretrained != null) {
            throw new IllegalArgumentException("--pretrained starts a new run; a resumed run goes on with the weights of " + resume);
        }
        // Checked before the data are read: a wrong option should not wait for a large data set to load.
        Map<String, String> settings = methodSettings(methodName);
        ModelInfo savedInfo = saved != null ? ModelInfo.of(saved, resume) : null;
        Backbone bb = savedInfo != null ? savedInfo.backbone() : model != null ? Backbone.byName(model) : null;
        Preprocessing chosen = bb != null && bb.torchvision() && savedInfo == null ? torchvisionInput(bb) : null;
        // A resumed run trains on the images it started with: the split seed it was saved with.
        SplitDataset loaded = dataOptions.load(savedConfig != null ? savedConfig.splitSeed() : 0,
                savedInfo != null ? savedInfo.preprocessing().decodeShape() : chosen != null ? chosen.decodeShape() : null);
        Dataset d = loaded.data();
        if (bb == null) bb = Backbone.forInput(d.channels(), d.height(), d.width());
        // lenet and cifarnet: images of another size are the data's fault (exit 3), found before its normalisation meets the model
        if (savedInfo == null && chosen == null) HashingModel.checkInput(bb, bb.defaultInput(), d);
        Preprocessing preprocessing = savedInfo != null ? savedInfo.preprocessing() : chosen != null ? chosen
                : fixedInput(bb, loaded.normalization());
        HashingModel.checkInput(bb, preprocessing.input(), d);
        Backend backend = deviceOption.open();
        var trainLabels = loaded.data().labelsOf(loaded.split().train());
        Path checkpoint = out != null ? out : Path.of("runs", methodName.toLowerCase(Locale.ROOT) + "-" + bits + ".safetensors");
        System.out.println("data: " + loaded.origin() + ": " + loaded.split());
        TrainConfig config;
        HashingModel m;
        if (saved != null) {
            config = new TrainConfig(savedConfig.model(), savedConfig.method(), savedConfig.bits(), epochs, savedConfig.batchSize(),
                    savedConfig.learningRate(), savedConfig.weightDecay(), savedConfig.seed(), savedConfig.splitSeed(),
                    deviceOption.device, savedConfig.backboneLrScale(), savedConfig.freezeEpochs(), savedConfig.augment());
            m = HashingModel.load(saved, resume, backend, trainLabels);
            System.out.println("resuming " + resume + " after epoch " + saved.require("train.epochs_done") + " (step "
                    + saved.require("train.steps_done") + ")");
        } else {
            HashingMethod hashing = HashingMethods.create(methodName, bits, trainLabels, settings);
            float rate = lr != null ? lr : hashing.defaultLearningRate();
            config = new TrainConfig(bb.id(), methodName, bits, epochs, batch, rate, weightDecay, seed,
                    dataOptions.splitSeed(0), deviceOption.device, backboneLrScale, freezeEpochs, augment);
            m = new HashingModel(backend, bb, hashing, preprocessing, loaded.data().classNames(), seed);
            if (pretrained != null) {
                try {
                    PretrainedBackbone.Report report = m.loadPretrainedBackbone(pretrained);
                    System.out.println("pretrained: " + report.summary());
                } catch (RuntimeException | java.io.IOException e) {
                    m.close();
                    throw e;
                }
            }
        }
        try (HashingModel model = m) {
            System.out.println("training " + methodName + " " + bits + " bits on " + bb.id() + " (input " + model.input()
                    + (model.preprocessing().resize() > 0 ? ", resize " + model.preprocessing().resize() : "") + "), "
                    + config.epochs() + " epochs, batch " + config.batchSize() + ", Adam lr " + config.learningRate()
                    + (config.backboneLrScale() != 1f ? " (backbone x" + config.backboneLrScale() + ")" : "")
                    + (config.freezeEpochs() > 0 ? ", backbone frozen for " + config.freezeEpochs() + " epochs" : "")
                    + (config.augment() ? ", random crops and flips" : "") + ", device " + backend.deviceName()
                    + (settings.isEmpty() ? "" : ", " + model.method().settings()));
            Trainer trainer = new Trainer(model, config, new Progress(System.err));
            double seconds = saved != null ? trainer.resume(loaded.data(), loaded.split().train(), saved, resume.toString(), checkpoint)
                    : trainer.run(loaded.data(), loaded.split().train(), checkpoint);
            System.out.printf(Locale.ROOT, "trained in %s; checkpoint %s%n", Progress.duration(seconds), checkpoint);
            if (model.inputProfile() != null) System.out.println("training images: " + model.inputProfile());
            if (evaluate) {
                EvalResult r = Evaluator.evaluate(model, loaded.data(), loaded.split(), 1000, 100);
                System.out.print(EvalResult.table(java.util.List.of(r)));
            }
        }
        return ExitCode.OK;
    }

    // The method's constants given on the command line (HashNet's continuation, DSDH's B step), checked against the method.
    private Map<String, String> methodSettings(String methodName) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (betaGamma != null || betaStep != null) {
            if (!methodName.equals("HashNet")) {
                throw new IllegalArgumentException("--beta-gamma and --beta-step set HashNet's continuation; --method is " + methodName);
            }
            if (betaGamma != null) settings.put(HashNet.GAMMA_SETTING, Double.toString(betaGamma));
            if (betaStep != null) settings.put(HashNet.STEP_SIZE_SETTING, Integer.toString(betaStep));
        }
        if (dsdhCodeEta != null || dsdhSweeps != null) {
            if (!methodName.equals("DSDH")) {
                throw new IllegalArgumentException("--dsdh-code-eta and --dsdh-sweeps set DSDH's B step; --method is " + methodName);
            }
            if (dsdhCodeEta != null) settings.put(Dsdh.CODE_ETA_SETTING, Double.toString(dsdhCodeEta));
            if (dsdhSweeps != null) settings.put(Dsdh.SWEEPS_SETTING, Integer.toString(dsdhSweeps));
        }
        return settings;
    }

    // resnet18 and alexnet: the input chosen by --image-size (default 3x224x224), --resize, ImageNet's normalisation.
    private Preprocessing torchvisionInput(Backbone bb) {
        InputShape input = dataOptions.imageSize() != null ? dataOptions.imageSize() : bb.defaultInput();
        bb.checkInput(input);
        return new Preprocessing(input, resize, Preprocessing.IMAGENET);
    }

    // lenet and cifarnet: their one size, the data's normalisation; the fine-tuning options need a torchvision backbone.
    private Preprocessing fixedInput(Backbone bb, Normalization norm) {
        if (pretrained != null) {
            throw new IllegalArgumentException("--pretrained needs --model resnet18 or alexnet (torchvision's layout), not " + bb.id());
        }
        if (resize != 0) throw new IllegalArgumentException("--resize needs --model resnet18 or alexnet; " + bb.id() + " takes "
                + bb.inputText() + " images only");
        return Preprocessing.of(bb.defaultInput(), norm);
    }

    // The configuration saved in the checkpoint to resume; it must be the method, bit length and split asked for.
    private TrainConfig savedConfig(Checkpoint saved, String methodName) {
        TrainConfig c;
        try {
            c = TrainConfig.fromMetadata(saved.metadata());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.BAD_INPUT, resume + ": " + e.getMessage() + " (not written by deephash train: cannot resume)");
        }
        if (c.bits() != bits || !c.method().equals(methodName)) {
            throw new CommandFailure(ExitCode.BAD_INPUT, resume + " holds a " + c.method() + " model with " + c.bits()
                    + "-bit codes but --method " + methodName + " --bits " + bits + " was asked");
        }
        if (dataOptions.splitSeed(c.splitSeed()) != c.splitSeed()) {
            throw new CommandFailure(ExitCode.BAD_INPUT, resume + " was trained on split seed " + c.splitSeed() + " but --split-seed "
                    + dataOptions.splitSeed(c.splitSeed()) + " was asked");
        }
        return c;
    }
}
