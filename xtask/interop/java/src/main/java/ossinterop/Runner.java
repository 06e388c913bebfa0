package ossinterop;

/** Runs steps in order and prints `PASS name (s)` or `FAIL name: error`, then a closing line. */
final class Runner {
    interface Step {
        void run() throws Throwable;
    }

    private int passed;
    private int failed;

    void step(String name, Step body) {
        long start = System.nanoTime();
        try {
            body.run();
            passed++;
            System.out.printf("PASS %s (%.1fs)%n", name, (System.nanoTime() - start) / 1e9);
        } catch (Throwable e) {
            failed++;
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            System.out.printf("FAIL %s: %s: %s%n", name, e.getClass().getSimpleName(), message);
        }
        System.out.flush();
    }

    int finish(String name) {
        System.out.printf("%s: %d passed, %d failed%n", name, passed, failed);
        return failed > 0 ? 1 : 0;
    }
}
