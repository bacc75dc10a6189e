package dev.jgrad.io;

import dev.jgrad.DType;

/**
 * The element types of the safetensors specification, with their byte sizes and the jgrad dtype
 * each loads as (null where jgrad reads none). One table, so a dtype cannot be known to the reader
 * and forgotten by the size check.
 */
enum StDType {
    BOOL(1, DType.I64),
    U8(1, DType.I64),
    I8(1, DType.I64),
    F8_E5M2(1, null),
    F8_E4M3(1, null),
    I16(2, null),
    U16(2, null),
    F16(2, DType.F32),
    BF16(2, DType.F32),
    I32(4, DType.I64),
    U32(4, null),
    F32(4, DType.F32),
    F64(8, DType.F64),
    I64(8, DType.I64),
    U64(8, null);

    final int size;
    /** What jgrad loads this type as: F16/BF16 widen to F32, narrow integers to I64; null if unsupported. */
    final DType loadsAs;

    StDType(int size, DType loadsAs) {
        this.size = size;
        this.loadsAs = loadsAs;
    }

    /** @return the type named {@code name} in a header, or null if the specification has none such */
    static StDType named(String name) {
        for (StDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** @return the type jgrad writes for {@code dtype} (always the same width: no conversion) */
    static StDType of(DType dtype) {
        return switch (dtype) {
            case F32 -> F32;
            case F64 -> F64;
            case I64 -> I64;
        };
    }
}
