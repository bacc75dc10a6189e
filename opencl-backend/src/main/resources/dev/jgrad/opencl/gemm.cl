// GEMM C[m, n] = A[m, k] · B[k, n]. A and C are addressed by row/column strides, so transposed
// operands (backward's dC·Bᵀ, Aᵀ·dC) need no copy. Three variants; the host picks by device type:
//  - gemm_cpu: for CPU devices (PoCL). Each work-item owns a TM x 16 tile held in TM vector
//    registers (T16), loads a 16-wide row of B once per k and broadcasts A. No local memory: a CPU
//    has big caches and no scratchpad worth managing. Needs B rows contiguous.
//  - gemm_gpu: for GPUs. Work-groups of 16x16 work-items compute 64x64 tiles; A and B tiles are
//    staged in local memory, each work-item keeps a 4x4 register block. Edges are zero-padded on load.
//  - gemm_naive: any strides, one output per work-item; the fallback for odd layouts.

#define T16 CAT(T, 16)
#define CAT(a, b) CAT2(a, b)
#define CAT2(a, b) a##b

#ifndef TM
#define TM 8
#endif

__kernel void gemm_cpu(int m, int n, int k, __global const T* A, int ao, int ars, int acs,
                       __global const T* B, int bo, int brs, __global T* C, int co, int ldc) {
    int tj = get_global_id(0) * 16;
    int ti = get_global_id(1) * TM;
    if (ti >= m || tj >= n) return;
    if (ti + TM <= m && tj + 16 <= n) {
        T16 acc[TM];
        for (int r = 0; r < TM; r++) acc[r] = (T16) 0;
        __global const T* a = A + ao + ti * ars;
        __global const T* b = B + bo + tj;
        for (int p = 0; p < k; p++) {
            T16 bv = vload16(0, b + p * brs);
            __global const T* ap = a + p * acs;
#pragma unroll
            for (int r = 0; r < TM; r++) {
                acc[r] = fma((T16) (ap[r * ars]), bv, acc[r]);
            }
        }
        for (int r = 0; r < TM; r++) {
            vstore16(acc[r], 0, C + co + (ti + r) * ldc + tj);
        }
    } else {
        for (int r = ti; r < min(ti + TM, m); r++) {
            for (int j = tj; j < min(tj + 16, n); j++) {
                T s = 0;
                for (int p = 0; p < k; p++) {
                    s = fma(A[ao + r * ars + p * acs], B[bo + p * brs + j], s);
                }
                C[co + r * ldc + j] = s;
            }
        }
    }
}

#define TS 64
#define TK 16
#define WPT 4

__kernel __attribute__((reqd_work_group_size(16, 16, 1)))
void gemm_gpu(int m, int n, int k, __global const T* A, int ao, int ars, int acs,
              __global const T* B, int bo, int brs, int bcs, __global T* C, int co, int ldc) {
    __local T As[TK][TS + 1];
    __local T Bs[TK][TS + 1];
    int lx = get_local_id(0), ly = get_local_id(1);
    int col0 = get_group_id(0) * TS, row0 = get_group_id(1) * TS;
    T acc[WPT][WPT];
    for (int i = 0; i < WPT; i++)
        for (int j = 0; j < WPT; j++) acc[i][j] = 0;
    int tid = ly * 16 + lx;
    for (int p0 = 0; p0 < k; p0 += TK) {
        // 256 work-items load a 64x16 tile of A and a 16x64 tile of B: 4 elements each.
        for (int l = 0; l < 4; l++) {
            int e = tid + l * 256;
            int ar = e / TK, ac = e % TK;
            int gr = row0 + ar, gc = p0 + ac;
            As[ac][ar] = (gr < m && gc < k) ? A[ao + gr * ars + gc * acs] : (T) 0;
            int br = e / TS, bc = e % TS;
            int hr = p0 + br, hc = col0 + bc;
            Bs[br][bc] = (hr < k && hc < n) ? B[bo + hr * brs + hc * bcs] : (T) 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TK; p++) {
            T a[WPT], b[WPT];
            for (int i = 0; i < WPT; i++) a[i] = As[p][ly + 16 * i];
            for (int j = 0; j < WPT; j++) b[j] = Bs[p][lx + 16 * j];
            for (int i = 0; i < WPT; i++)
                for (int j = 0; j < WPT; j++) acc[i][j] = fma(a[i], b[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < WPT; i++) {
        int r = row0 + ly + 16 * i;
        for (int j = 0; j < WPT; j++) {
            int c = col0 + lx + 16 * j;
            if (r < m && c < n) C[co + r * ldc + c] = acc[i][j];
        }
    }
}

__kernel void gemm_naive(int m, int n, int k, __global const T* A, int ao, int ars, int acs,
                         __global const T* B, int bo, int brs, int bcs, __global T* C, int co, int crs, int ccs) {
    int j = get_global_id(0), i = get_global_id(1);
    if (i >= m || j >= n) return;
    T s = 0;
    for (int p = 0; p < k; p++) {
        s = fma(A[ao + i * ars + p * acs], B[bo + p * brs + j * bcs], s);
    }
    C[co + i * crs + j * ccs] = s;
}
