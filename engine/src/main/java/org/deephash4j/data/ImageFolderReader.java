package org.deephash4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a folder with one sub-folder per class ({@code root/cat/001.jpg}, {@code root/dog/a.png}):
 * classes are the sub-folder names in sorted order, images within a class in sorted file-name
 * order, each decoded by {@link PhotoDecoder} (in parallel, bounded) to the model's C x H x W.
 * {@link #imageFiles} lists the image files of one folder.
 */
public final class ImageFolderReader {
    private ImageFolderReader() {
    }

    public static Dataset read(Path root, int channels, int height, int width) throws IOException {
        if (!Files.isDirectory(root)) throw new NoSuchFileException(root.toString(), null, "no such folder");
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new DatasetFormatException(root, "folder", 0, "has no sub-folders; expected one sub-folder of images per class");
        }
        List<String> classes = new ArrayList<>();
        List<Integer> classIndex = new ArrayList<>();
        List<Path> all = new ArrayList<>();
        for (Path dir : classDirs) {
            int c = classes.size();
            classes.add(dir.getFileName().toString());
            List<Path> files = imageFiles(dir);
            if (files.isEmpty()) throw new DatasetFormatException(dir, "folder", 0, "class folder holds no image files (.png, .jpg, ...)");
            for (Path f : files) {
                all.add(f);
                classIndex.add(c);
            }
        }
        byte[] pixels = PhotoDecoder.decodeAll(all, channels, height, width);   // in parallel, each file into its slot
        return Dataset.singleLabel(root.getFileName().toString(), channels, height, width, pixels,
                classIndex.stream().mapToInt(Integer::intValue).toArray(), classes);
    }

    /** Every image file under {@code dir} and its sub-folders, sorted by path (an empty folder is an error). */
    public static List<Path> imageFilesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such folder");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(ImageLoader::isImageFile).sorted().toList();
        }
        if (files.isEmpty()) throw new DatasetFormatException(dir, "folder", 0, "no image files (.png, .jpg, ...) found");
        return files;
    }

    /** The images {@code files}, decoded to C x H x W, as a data set without labels (one class "?"), in that order. */
    public static Dataset readUnlabelled(String name, List<Path> files, int channels, int height, int width) throws IOException {
        byte[] pixels = PhotoDecoder.decodeAll(files, channels, height, width);
        return Dataset.singleLabel(name, channels, height, width, pixels, new int[files.size()], List.of("?"));
    }

    static DatasetFormatException tooMany(Path image, int before) {
        return new DatasetFormatException(image, "pixels", 0, "with the " + before + " images before it, more pixel bytes than"
                + " one data set holds (" + GrowingBytes.MAX_ARRAY + ", the largest Java array); use smaller images or fewer");
    }

    /** Image files directly in {@code dir}, sorted by name (regular files only: a FIFO would block). */
    public static List<Path> imageFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageLoader::isImageFile).sorted().toList();
        }
    }
}
