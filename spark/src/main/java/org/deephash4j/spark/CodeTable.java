package org.deephash4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.search.BinaryCodes;

/**
 * The table of codes that encode writes and search reads: one row per image,
 * {@code id} (long, not null) and {@code code} (binary: the code's packbits bytes, ceil(bits / 8) of them, in
 * {@link BinaryCodes}' bit order, so numpy's {@code unpackbits} reads them). The bit length travels as metadata
 * {@code bits} on the {@code code} column; Spark keeps column metadata in the Parquet files it writes, so a table
 * read back knows its bit length. Other columns (a path, a label) may ride along and are ignored here.
 */
public final class CodeTable {
    /** Name of the id column. */
    public static final String ID = "id";
    /** Name of the code column. */
    public static final String CODE = "code";
    /** Metadata key on the code column holding the bit length. */
    public static final String BITS = "bits";

    private CodeTable() {
    }

    /** The code column's field: binary, not null, with {@code bits} in its metadata. */
    public static StructField codeField(int bits) {
        if (bits < 1) throw new IllegalArgumentException("code table: bits = " + bits + ", expected >= 1");
        Metadata meta = new MetadataBuilder().putLong(BITS, bits).build();
        return new StructField(CODE, DataTypes.BinaryType, false, meta);
    }

    /** The schema (id long, code binary) for {@code bits}-bit codes. */
    public static StructType schema(int bits) {
        return new StructType(new StructField[] {
                new StructField(ID, DataTypes.LongType, false, Metadata.empty()), codeField(bits)});
    }

    /**
     * The bit length a table's code column carries in its metadata.
     *
     * @throws IllegalArgumentException naming the columns found when there is no code column or no bits metadata
     */
    public static int bits(Dataset<Row> table) {
        StructType schema = table.schema();
        int i = columnIndex(schema, CODE, "code table");
        StructField f = schema.fields()[i];
        if (!f.metadata().contains(BITS)) {
            throw new IllegalArgumentException("code table: column 'code' has no '" + BITS
                    + "' metadata; write it with CodeTable.schema(bits) or CodeTable.withBits(table, bits)");
        }
        return Math.toIntExact(f.metadata().getLong(BITS));
    }

    /** The same rows with {@code bits} recorded on the code column (for a table written by another tool). */
    public static Dataset<Row> withBits(Dataset<Row> table, int bits) {
        columnIndex(table.schema(), CODE, "code table");
        return table.withMetadata(CODE, codeField(bits).metadata());
    }

    /** A table of {@code codes} in {@code partitions} partitions (for queries made on the driver, and tests). */
    public static Dataset<Row> of(SparkSession spark, BinaryCodes codes, int partitions) {
        byte[] bytes = codes.toBytes();
        int bpc = BinaryCodes.bytesFor(codes.bits());
        List<Row> rows = new ArrayList<>(codes.size());
        for (int i = 0; i < codes.size(); i++) {
            rows.add(RowFactory.create(codes.id(i), Arrays.copyOfRange(bytes, i * bpc, (i + 1) * bpc)));
        }
        return spark.createDataFrame(rows, schema(codes.bits())).repartition(partitions);
    }

    /** Every row of {@code table} on the driver as {@link BinaryCodes}, in the order Spark returns them. */
    public static BinaryCodes collect(Dataset<Row> table) {
        int bits = bits(table);
        return fromRows(table.select(ID, CODE).collectAsList().iterator(), 0, 1, bits);
    }

    /**
     * Codes from rows holding an id at {@code idIndex} and a code at {@code codeIndex}.
     *
     * @throws IllegalArgumentException naming the id when a code has the wrong length or padding bits set
     */
    static BinaryCodes fromRows(Iterator<Row> rows, int idIndex, int codeIndex, int bits) {
        int bpc = BinaryCodes.bytesFor(bits);
        long[] ids = new long[1024];
        byte[] bytes = new byte[1024 * bpc];
        int n = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.isNullAt(idIndex) || row.isNullAt(codeIndex)) {
                throw new IllegalArgumentException("code table: row " + n + " has a null id or code");
            }
            long id = ((Number) row.get(idIndex)).longValue();
            byte[] code = (byte[]) row.get(codeIndex);
            if (code.length != bpc) {
                throw new IllegalArgumentException("code table: id " + id + " has a " + code.length + "-byte code, expected "
                        + bpc + " bytes for " + bits + "-bit codes");
            }
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, 2 * n);
                bytes = Arrays.copyOf(bytes, 2 * n * bpc);
            }
            ids[n] = id;
            System.arraycopy(code, 0, bytes, n * bpc, bpc);
            n++;
        }
        try {
            return BinaryCodes.fromBytes(Arrays.copyOf(bytes, n * bpc), bits, Arrays.copyOf(ids, n));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("code table: " + e.getMessage(), e);
        }
    }

    /** Index of the id column, which must be long or int. */
    static int idIndex(StructType schema, String what) {
        int i = columnIndex(schema, ID, what);
        var type = schema.fields()[i].dataType();
        if (!(type instanceof LongType) && !(type instanceof IntegerType)) {
            throw new IllegalArgumentException(what + ": column 'id' is " + type.simpleString() + ", expected bigint or int");
        }
        return i;
    }

    /** Index of column {@code name}, or an exception listing the columns there are. */
    static int columnIndex(StructType schema, String name, String what) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(name)) return i;
        }
        throw new IllegalArgumentException(what + ": no column '" + name + "'; columns are "
                + Arrays.toString(schema.fieldNames()));
    }
}
