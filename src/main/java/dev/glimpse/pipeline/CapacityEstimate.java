package dev.glimpse.pipeline;

/**
 * How many requests one worker could answer, from an evaluation's mean latency: requests per second
 * = 1000 / mean latency in ms, per day = that × 86 400.
 *
 * <p>{@link #ASSUMPTION}: one worker (one model instance) answers one request at a time, back to back, each taking
 * the measured mean latency, around the clock. Requests that differ from the evaluation's (bigger images, longer
 * answers), queueing and network time are not counted; more workers add capacity only where the hardware has room.
 *
 * @param meanMillis        the mean latency it is based on
 * @param requestsPerSecond sustained requests per second for one worker
 * @param requestsPerDay    projected requests per day for one worker
 */
public record CapacityEstimate(double meanMillis, double requestsPerSecond, double requestsPerDay) {

    /** The assumption behind the numbers, to print beside them. */
    public static final String ASSUMPTION = "one worker answering one request at a time, back to back, at the "
            + "measured mean latency, around the clock; queueing, network and larger inputs not counted";

    /** The estimate for a mean latency in milliseconds; {@code NaN} numbers when there is no positive mean. */
    public static CapacityEstimate fromMeanMillis(double meanMillis) {
        if (!(meanMillis > 0)) {
            return new CapacityEstimate(meanMillis, Double.NaN, Double.NaN);
        }
        double perSecond = 1000.0 / meanMillis;
        return new CapacityEstimate(meanMillis, perSecond, perSecond * 86_400);
    }

    /** The estimate from a latency summary's mean. */
    public static CapacityEstimate of(LatencySummary latency) {
        return fromMeanMillis(latency.mean());
    }
}
