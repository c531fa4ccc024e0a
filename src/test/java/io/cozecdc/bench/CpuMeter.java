package io.cozecdc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU used between {@link #start} and {@link #stop}, from /proc: how busy the whole machine was, and
 * the CPU seconds of chosen processes (service instances, the database server). On a small shared
 * machine this tells "the code is slow" from "the machine is full".
 */
final class CpuMeter {

    /** Machine busy share and CPU seconds per named process over the measured span. */
    record Usage(double machineBusy, double seconds, Map<String, Double> cpuSeconds) {
    }

    private static final double TICKS = 100.0; // USER_HZ on Linux

    private final Map<String, Long> pids;
    private long[] machineStart;
    private Map<String, Long> ticksStart;
    private long startNanos;

    private CpuMeter(Map<String, Long> pids) {
        this.pids = pids;
    }

    static CpuMeter start(Map<String, Long> pids) {
        CpuMeter m = new CpuMeter(new LinkedHashMap<>(pids));
        m.machineStart = machine();
        m.ticksStart = m.ticks();
        m.startNanos = System.nanoTime();
        return m;
    }

    Usage stop() {
        long[] end = machine();
        Map<String, Long> ticksEnd = ticks();
        double busy = end[1] - machineStart[1];
        double total = end[0] - machineStart[0];
        Map<String, Double> cpu = new LinkedHashMap<>();
        ticksEnd.forEach((name, t) -> cpu.put(name, (t - ticksStart.getOrDefault(name, t)) / TICKS));
        return new Usage(total <= 0 ? Double.NaN : busy / total, (System.nanoTime() - startNanos) / 1e9, cpu);
    }

    /** The pid of the run's embedded MariaDB server (a mariadbd whose command line names the bench data directory), or -1. */
    static long databasePid() {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String cmd = read(p.resolve("cmdline")).replace('\0', ' ');
                if (cmd.contains("mariadbd") && cmd.contains("process-db/bench/data")) {
                    return Long.parseLong(name);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private Map<String, Long> ticks() {
        Map<String, Long> t = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            if (close > 0) {
                List<String> f = List.of(stat.substring(close + 2).split(" "));
                // after "pid (comm) ": state is field 3, utime 14, stime 15 → indexes 11 and 12 here
                t.put(name, Long.parseLong(f.get(11)) + Long.parseLong(f.get(12)));
            }
        });
        return t;
    }

    /** [total ticks, busy ticks] of all CPUs. */
    private static long[] machine() {
        String cpu = read(Path.of("/proc/stat")).lines().filter(l -> l.startsWith("cpu ")).findFirst().orElse("");
        String[] f = cpu.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) { // idle, iowait
                idle += v;
            }
        }
        return new long[] {total, total - idle};
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
