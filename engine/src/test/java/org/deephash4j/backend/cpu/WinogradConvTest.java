package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deephash4j.backend.Conv2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * VectorWinogradConv2d (F(4×4, 3×3)) against the reference conv2d, all three passes, at awkward
 * sizes: planes that are not multiples of 4 (tiles cut by the last rows and columns), planes
 * smaller than one tile, channel counts around the lanes and the GEMM's blocks (a depth past one
 * slab), primes, and a batch cut into chunks; its bits at one thread against all, and groups of
 * images per task against chunks. Run again
 * with 128-bit vectors (NarrowLanesTest) and at 1, 3 and 5 threads (KernelThreadCountsTest).
 */
class WinogradConvTest {
    private static final int L = KernelParity.LANES;

    private static final List<Conv2dGeometry> GEOMETRIES = List.of(
            conv(1, 1, 1, 1, 1),               // one pixel: one tile, 15 of its 16 outputs cut
            conv(2, 3, 5, 7, 2),               // odd height and width
            conv(3, L + 1, 4, 4, 2 * L + 3),   // ResNet's last stage (4x4), channels past the lanes
            conv(2, 13, 7, 7, 31),             // 7x7: a last row and column of tiles cut to 3
            conv(1, 509, 2, 3, 5),             // 509 input channels (prime): one slab of depth 509
            conv(1, 1031, 4, 4, 3),            // 1031 input channels: past one slab of depth (KC = 512 or 1024)
            conv(2, 5, 3, 2, 509),             // 509 output channels: row blocks of the product
            conv(2, 200, 4, 4, 333),           // transformed filters made in blocks of output channels, the last cut
            conv(4, 64, 9, 8, 17),
            conv(5, 2, 14, 13, 3),             // batch 5
            conv(2, 32, 14, 14, 32),           // ResNet's 14x14 stage, fewer channels
            conv(5, 256, 32, 32, 5),           // 36·256·64 floats per image: chunks of 3 images, then 2
            conv(9, L + 3, 27, 29, 2 * L + 1)); // 56 tiles an image: backward-filter in 8 groups of 1 or 2 images

    private static Conv2dGeometry conv(int batch, int inC, int h, int w, int outC) {
        return new Conv2dGeometry(batch, inC, h, w, outC, 3, 3, 1, 1);
    }

    /** Held to the direct kernels' tolerance (ConvKernelsTest), which grows with the length of each sum. */
    @Test
    void forwardAgreesWithTheDirectSum() {
        ConvKernelsTest.assertForwardAgrees("Winograd", GEOMETRIES, 51L, VectorWinogradConv2d::forward);
    }

    @Test
    void backwardDataAgreesWithTheDirectSum() {
        ConvKernelsTest.assertBackwardDataAgrees("Winograd", GEOMETRIES, 52L, VectorWinogradConv2d::backwardData);
    }

    @Test
    void backwardFilterAgreesWithTheDirectSum() {
        ConvKernelsTest.assertBackwardFilterAgrees("Winograd", GEOMETRIES, 54L, VectorWinogradConv2d::backwardFilter);
    }

    /**
     * Chunks and groups of 1, 2, 3 or all images per task add the same terms in the same order,
     * whatever the thread count picks; groups of 2 and 3 leave a shorter last group at odd batches.
     */
    @Test
    void imageGroupsGiveTheBitsOfChunks() {
        Random random = new Random(55L);
        for (Conv2dGeometry g : GEOMETRIES) {
            int batch = g.batch(), inC = g.inChannels(), outC = g.outChannels(), h = g.inHeight(), w = g.inWidth();
            float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
            float[] weight = KernelParity.uniform(random, (int) g.weightSize(), -1, 1);
            float[] bias = KernelParity.uniform(random, outC, -1, 1);
            float[] chunks = new float[(int) g.outputSize()];
            float[] chunksData = new float[input.length];
            VectorWinogradConv2d.convolveInChunks(chunks, input, weight, false, bias, batch, inC, outC, h, w);
            VectorWinogradConv2d.convolveInChunks(chunksData, chunks, weight, true, null, batch, outC, inC, h, w);
            for (int images : new int[] {1, 2, 3, batch}) {
                float[] groups = new float[chunks.length];
                VectorWinogradConv2d.convolveInImageGroups(groups, input, weight, false, bias, batch, inC, outC, h, w,
                        images);
                assertArrayEquals(chunks, groups, "forward, " + images + " images a task, " + g);
                float[] groupsData = new float[input.length];
                VectorWinogradConv2d.convolveInImageGroups(groupsData, chunks, weight, true, null, batch, outC, inC, h,
                        w, images);
                assertArrayEquals(chunksData, groupsData, "backward-data, " + images + " images a task, " + g);
            }
        }
    }

    /**
     * The images per task fill the products' row panels best within the budget and the cap: three
     * 14 x 14 images (16 tiles each) fill four panels of 12 rows, or eight of 6, exactly.
     */
    @Test
    void imagesPerTaskFillTheRowPanels() {
        int mr = VectorGemm.MR;
        for (int tiles : new int[] {1, 4, 16, 49, 196}) {
            for (int most : new int[] {1, 2, 3, 8}) {
                int images = VectorWinogradConv2d.imagesPerTask(tiles, 64, most);
                assertTrue(images >= 1 && images <= most, tiles + " tiles, at most " + most + ": " + images);
                assertTrue(images == 1 || (long) images * tiles * 64 * 36 <= 1 << 18, tiles + " tiles: " + images);
                double fill = fill(images * tiles, mr);
                for (int other = 1; other <= most && (long) other * tiles * 64 * 36 <= 1 << 18; other++) {
                    assertTrue(fill(other * tiles, mr) <= fill, tiles + " tiles: " + other + " fill better than " + images);
                    if (other < images) {
                        assertTrue(fill(other * tiles, mr) < fill, tiles + " tiles: " + other + " fill as well as " + images);
                    }
                }
            }
        }
        assertEquals(3, VectorWinogradConv2d.imagesPerTask(16, 128, 8));
        assertEquals(1, VectorWinogradConv2d.imagesPerTask(196, 64, 8));   // one image's V is past the budget
    }

    private static double fill(int rows, int mr) {
        return rows / (double) ((rows + mr - 1) / mr * mr);
    }

    @Test
    void sameBitsOnOneThreadAndOnAll() {
        Random random = new Random(53L);
        for (Conv2dGeometry g : List.of(conv(6, 2 * L + 1, 9, 7, 3 * L - 1), conv(9, L + 3, 27, 29, 2 * L + 1))) {
            assertSameBitsOnOneThreadAndOnAll(random, g);
        }
    }

    private static void assertSameBitsOnOneThreadAndOnAll(Random random, Conv2dGeometry g) {
        float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
        float[] weight = KernelParity.uniform(random, (int) g.weightSize(), -1, 1);
        float[] bias = KernelParity.uniform(random, g.outChannels(), -1, 1);
        float[] all = new float[(int) g.outputSize()];
        float[] allData = new float[(int) g.inputSize()];
        float[] allFilter = new float[(int) g.weightSize()];
        VectorWinogradConv2d.forward(all, input, weight, bias, g);
        VectorWinogradConv2d.backwardData(allData, all, weight, g);
        VectorWinogradConv2d.backwardFilter(allFilter, null, all, input, g);
        float[] one = new float[all.length];
        float[] oneData = new float[allData.length];
        float[] oneFilter = new float[allFilter.length];
        try (CpuThreads.Limit ignored = CpuThreads.limit(1)) {
            VectorWinogradConv2d.forward(one, input, weight, bias, g);
            VectorWinogradConv2d.backwardData(oneData, one, weight, g);
            VectorWinogradConv2d.backwardFilter(oneFilter, null, one, input, g);
        }
        assertArrayEquals(all, one, "forward on one thread " + g);
        assertArrayEquals(allData, oneData, "backward-data on one thread " + g);
        assertArrayEquals(allFilter, oneFilter, "backward-filter on one thread " + g);
    }
}
