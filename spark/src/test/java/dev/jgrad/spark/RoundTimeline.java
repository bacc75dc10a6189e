package dev.jgrad.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Not a test: where the wall time of one-job rounds goes, from Spark's own timestamps (job start and
 * end, each task's launch and finish, its deserialisation, run and result-serialisation times, all
 * in ms) and the driver's round start and end ({@link #round}). {@link #print} shows the means per
 * round of: driver before the job is submitted, job start to the first task launch (stage creation,
 * task binary broadcast, offers), each task's launch to run start and run end to result on the
 * driver, the last result to the job's end, and the job's end to the round's end (the driver's merge
 * and step). Only jobs started while timed count; the listener bus must be drained (context closed)
 * before printing.
 */
final class RoundTimeline extends SparkListener {
    private final Map<Integer, long[]> jobs = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> stageJob = new ConcurrentHashMap<>();
    private final List<long[]> rounds = new ArrayList<>();
    private volatile boolean timed;

    /** Index of a job's fields: start, end, first launch, last finish, tasks, and per-task sums. */
    private static final int START = 0;
    private static final int END = 1;
    private static final int LAUNCH = 2;
    private static final int FINISH = 3;
    private static final int TASKS = 4;
    private static final int DESER = 5;
    private static final int RUN = 6;
    private static final int CPU_NS = 7;
    private static final int RESULT_SER = 8;
    private static final int DURATION = 9;

    /** Starts or stops counting jobs. */
    void timed(boolean on) {
        timed = on;
    }

    /** Records one driver round, in epoch ms (as Spark's timestamps). */
    void round(long startMs, long endMs) {
        synchronized (rounds) {
            rounds.add(new long[] {startMs, endMs});
        }
    }

    @Override
    public void onJobStart(SparkListenerJobStart s) {
        if (!timed) {
            return;
        }
        long[] j = new long[10];
        j[START] = s.time();
        j[LAUNCH] = Long.MAX_VALUE;
        jobs.put(s.jobId(), j);
        for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(s.stageIds())) {
            stageJob.put((Integer) id, s.jobId());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        Integer job = stageJob.get(e.stageId());
        long[] j = job == null ? null : jobs.get(job);
        TaskMetrics m = e.taskMetrics();
        if (j == null || m == null) {
            return;
        }
        TaskInfo t = e.taskInfo();
        synchronized (j) {
            j[LAUNCH] = Math.min(j[LAUNCH], t.launchTime());
            j[FINISH] = Math.max(j[FINISH], t.finishTime());
            j[TASKS]++;
            j[DESER] += m.executorDeserializeTime();
            j[RUN] += m.executorRunTime();
            j[CPU_NS] += m.executorCpuTime();
            j[RESULT_SER] += m.resultSerializationTime();
            j[DURATION] += t.duration();
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
        long[] j = jobs.get(e.jobId());
        if (j != null) {
            j[END] = e.time();
        }
    }

    /** Prints the mean breakdown per round (ms); assumes one job per round, matched in order. */
    void print() {
        List<long[]> js = jobs.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        int n = Math.min(js.size(), rounds.size());
        double[] s = new double[9];
        for (int i = 0; i < n; i++) {
            long[] j = js.get(i);
            long[] r = rounds.get(i);
            double tasks = Math.max(1, j[TASKS]);
            s[0] += j[START] - r[0];
            s[1] += j[LAUNCH] - j[START];
            s[2] += j[DESER] / tasks;
            s[3] += j[RUN] / tasks;
            s[4] += j[CPU_NS] / 1e6 / tasks;
            s[5] += (j[DURATION] - j[DESER] - j[RUN]) / tasks;
            s[6] += j[END] - j[FINISH];
            s[7] += r[1] - j[END];
            s[8] += r[1] - r[0];
        }
        System.out.printf("timeline over %d rounds (ms per round): driver before job %.1f | job start to first launch %.1f"
                + " | per task: deserialise %.1f, run %.1f (cpu %.1f), launch/result hand-offs %.1f | last result to job"
                + " end %.1f | job end to round end %.1f | round %.1f%n", n, s[0] / n, s[1] / n, s[2] / n, s[3] / n,
                s[4] / n, s[5] / n, s[6] / n, s[7] / n, s[8] / n);
    }
}
