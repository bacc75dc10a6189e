/* Times CLBlast's SGEMM on the first OpenCL device, for comparison with jgrad's opencl backend.
 * Built and run by compare.py when libclblast-dev is installed:
 *   gcc -O2 clblast_sgemm.c -lclblast -lOpenCL -o clblast_sgemm && ./clblast_sgemm 1024
 * Prints one line per size: "clblast sgemm N seconds". */
#define CL_TARGET_OPENCL_VERSION 120
#include <clblast_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    cl_platform_id platform;
    cl_device_id device;
    if (clGetPlatformIDs(1, &platform, NULL) != CL_SUCCESS ||
        clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL) != CL_SUCCESS) {
        fprintf(stderr, "no OpenCL device\n");
        return 1;
    }
    cl_context ctx = clCreateContext(NULL, 1, &device, NULL, NULL, NULL);
    cl_command_queue queue = clCreateCommandQueue(ctx, device, 0, NULL);
    for (int arg = 1; arg < argc; arg++) {
        size_t n = (size_t) atoi(argv[arg]);
        size_t bytes = n * n * sizeof(float);
        float *host = malloc(bytes);
        for (size_t i = 0; i < n * n; i++) host[i] = (float) (i % 7) * 0.1f;
        cl_mem a = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes, host, NULL);
        cl_mem b = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes, host, NULL);
        cl_mem c = clCreateBuffer(ctx, CL_MEM_READ_WRITE, bytes, NULL, NULL);
        int reps = n >= 1024 ? 5 : 20;
        double best = 1e30;
        for (int r = -1; r < reps; r++) {
            double t0 = now();
            CLBlastStatusCode s = CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, n, n, n,
                                               1.0f, a, 0, n, b, 0, n, 0.0f, c, 0, n, &queue, NULL);
            clFinish(queue);
            double t = now() - t0;
            if (s != CLBlastSuccess) {
                fprintf(stderr, "CLBlastSgemm failed: %d\n", (int) s);
                return 1;
            }
            if (r >= 0 && t < best) best = t;
        }
        printf("clblast sgemm %zu %.6f\n", n, best);
        fflush(stdout);
        clReleaseMemObject(a);
        clReleaseMemObject(b);
        clReleaseMemObject(c);
        free(host);
    }
    return 0;
}
