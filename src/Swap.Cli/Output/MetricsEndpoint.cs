using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Swap.Cli.Output;

/// <summary>
/// <c>--metrics host:port</c>: the instruments of the <c>Swap</c> meter as Prometheus text at
/// <c>http://host:port/metrics</c> for as long as the command runs. Counters are totals since the
/// process started (<c>_total</c>), the chunk-time histogram is a count and a sum, the backlog a
/// gauge read at each scrape.
/// </summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly HttpListener http = new();
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), double> sums = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), long> counts = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), double> gauges = new();
    private readonly ConcurrentDictionary<string, Instrument> instruments = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private Task? serving;

    private MetricsEndpoint()
    {
    }

    /// <summary>Listens on <paramref name="hostPort"/> (e.g. <c>127.0.0.1:9464</c>); a usage error when it is not host:port or cannot be bound.</summary>
    public static MetricsEndpoint Start(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new SwapException(SwapErrorKind.Usage, $"--metrics takes host:port, like 127.0.0.1:9464 or *:9464, not '{hostPort}'.");
        var host = hostPort[..colon];
        var endpoint = new MetricsEndpoint();
        endpoint.http.Prefixes.Add($"http://{(host is "*" or "0.0.0.0" ? "+" : host)}:{port.ToString(CultureInfo.InvariantCulture)}/");
        try
        {
            endpoint.http.Start();
        }
        catch (HttpListenerException e)
        {
            throw new SwapException(SwapErrorKind.Usage, $"--metrics {hostPort}: cannot listen there ({e.Message}). Pick a free port.");
        }
        endpoint.Listen();
        endpoint.serving = Task.Run(endpoint.ServeAsync);
        return endpoint;
    }

    private void Listen()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwapMetrics.MeterName)
            {
                instruments[instrument.Name] = instrument;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = (Name(instrument), Labels(tags));
        switch (instrument)
        {
            case ObservableGauge<long> or ObservableGauge<double>:
                gauges[key] = value;
                break;
            case Histogram<double> or Histogram<long>:
                sums.AddOrUpdate(key, value, (_, s) => s + value);
                counts.AddOrUpdate(key, 1, (_, c) => c + 1);
                break;
            default:
                sums.AddOrUpdate(key, value, (_, s) => s + value);
                break;
        }
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await http.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                var found = context.Request.Url?.AbsolutePath is "/metrics" or "/";
                var body = Encoding.UTF8.GetBytes(found ? Render() : "Not found: the metrics are at /metrics\n");
                context.Response.StatusCode = found ? 200 : 404;
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(body, stop.Token);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The scraper went away; serve the next one.
            }
        }
    }

    /// <summary>The Prometheus text exposition of everything recorded so far.</summary>
    internal string Render()
    {
        listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var instrument in instruments.Values.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var name = Name(instrument);
            var (type, exposed) = instrument switch
            {
                ObservableGauge<long> or ObservableGauge<double> => ("gauge", name),
                Histogram<double> or Histogram<long> => ("summary", name),
                _ => ("counter", name + "_total"),
            };
            text.Append("# HELP ").Append(exposed).Append(' ').Append(instrument.Description).Append(" (").Append(instrument.Unit).Append(")\n");
            text.Append("# TYPE ").Append(exposed).Append(' ').Append(type).Append('\n');
            if (type == "gauge")
            {
                foreach (var ((n, labels), value) in gauges.Where(g => g.Key.Name == name).OrderBy(g => g.Key.Labels, StringComparer.Ordinal))
                    text.Append(n).Append(labels).Append(' ').Append(Number(value)).Append('\n');
            }
            else if (type == "summary")
            {
                foreach (var ((n, labels), value) in sums.Where(g => g.Key.Name == name).OrderBy(g => g.Key.Labels, StringComparer.Ordinal))
                {
                    text.Append(n).Append("_sum").Append(labels).Append(' ').Append(Number(value)).Append('\n');
                    text.Append(n).Append("_count").Append(labels).Append(' ').Append(counts.GetValueOrDefault((n, labels)).ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
            else
            {
                foreach (var ((_, labels), value) in sums.Where(g => g.Key.Name == name).OrderBy(g => g.Key.Labels, StringComparer.Ordinal))
                    text.Append(exposed).Append(labels).Append(' ').Append(Number(value)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Name(Instrument instrument) => instrument.Name.Replace('.', '_');

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
            return "";
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
            parts.Add($"{tag.Key}=\"{Convert.ToString(tag.Value, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        parts.Sort(StringComparer.Ordinal);
        return "{" + string.Join(",", parts) + "}";
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        http.Close();
        ((IDisposable)http).Dispose();
        if (serving is not null)
            await serving;
        stop.Dispose();
    }
}
