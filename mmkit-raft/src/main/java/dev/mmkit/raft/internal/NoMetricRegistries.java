package dev.mmkit.raft.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.apache.ratis.util.TimeDuration;

/**
 * NoMetricRegistries is the Ratis metrics implementation of this module: registries whose timers,
 * counters and gauges keep nothing. Ratis finds it through {@link java.util.ServiceLoader} ({@code
 * META-INF/services}) in place of {@code ratis-metrics-default}, which this module does not ship.
 *
 * <p>Ratis times every log append, flush, queue wait and request with Dropwizard timers whose
 * reservoirs take a lock and keep a decaying sample; JFR of a leader under 64 writes in flight put
 * 8% of its samples in {@code ExponentiallyDecayingReservoir.update}, on the threads that write,
 * flush and replicate. Nothing in mmkit reads those metrics (no reporter is started), and Ratis
 * reads none of them to decide anything.
 */
public final class NoMetricRegistries extends MetricRegistries {
  private static final Timekeeper.Context STOPPED = () -> 0L;
  private static final Timekeeper TIMER = () -> STOPPED;
  private static final LongCounter COUNTER =
      new LongCounter() {
        @Override
        public void inc(long n) {}

        @Override
        public void dec(long n) {}

        @Override
        public long getCount() {
          return 0;
        }
      };

  private final ConcurrentMap<MetricRegistryInfo, RatisMetricRegistry> registries =
      new ConcurrentHashMap<>();

  /** Creates the registries; Ratis calls this through {@link java.util.ServiceLoader}. */
  public NoMetricRegistries() {}

  /** Registry is one component's registry, which keeps nothing. */
  private record Registry(MetricRegistryInfo info) implements RatisMetricRegistry {
    @Override
    public Timekeeper timer(String name) {
      return TIMER;
    }

    @Override
    public LongCounter counter(String name) {
      return COUNTER;
    }

    @Override
    public boolean remove(String name) {
      return false;
    }

    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {}

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
      return info;
    }
  }

  @Override
  public void clear() {
    registries.clear();
  }

  @Override
  public RatisMetricRegistry create(MetricRegistryInfo info) {
    return registries.computeIfAbsent(info, Registry::new);
  }

  @Override
  public boolean remove(MetricRegistryInfo key) {
    return registries.remove(key) != null;
  }

  @Override
  public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
    return Optional.ofNullable(registries.get(info));
  }

  @Override
  public Set<MetricRegistryInfo> getMetricRegistryInfos() {
    return Set.copyOf(registries.keySet());
  }

  @Override
  public Collection<RatisMetricRegistry> getMetricRegistries() {
    return List.copyOf(registries.values());
  }

  @Override
  public void addReporterRegistration(
      Consumer<RatisMetricRegistry> reporterRegistration,
      Consumer<RatisMetricRegistry> stopReporter) {}

  @Override
  public void enableJmxReporter() {}

  @Override
  public void enableConsoleReporter(TimeDuration consoleReportRate) {}
}
