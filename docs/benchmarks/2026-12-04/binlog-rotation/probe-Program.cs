using MySqlConnector;
using System.Diagnostics;
var cs = "Server=127.0.0.1;Port=33306;User=root;Database=mysql;Pooling=false";
if (args.Length > 0) cs = args[0];
await using var c = new MySqlConnection(cs); await c.OpenAsync();
await using var w = new MySqlConnection(cs); await w.OpenAsync();
await new MySqlCommand("CREATE DATABASE IF NOT EXISTS probe; CREATE TABLE IF NOT EXISTS probe.p (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT, pad VARCHAR(200))", w).ExecuteNonQueryAsync();
var names = new[]{"Innodb_checkpoint_age","Innodb_buffer_pool_pages_dirty","Innodb_buffer_pool_wait_free","Innodb_log_waits","Innodb_buffer_pool_pages_flushed","Innodb_buffer_pool_pages_free","Innodb_os_log_written"};
var sw = Stopwatch.StartNew();
var end = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("PROBE_SECONDS") ?? "600"));
Console.WriteLine("utc\tt\tinsert_ms\t" + string.Join("\t", names.Select(n=>n.Replace("Innodb_",""))) + "\tquery");
while (sw.Elapsed < end) {
  var t0 = sw.Elapsed;
  var s = Stopwatch.StartNew();
  await new MySqlCommand("INSERT INTO probe.p (v,pad) VALUES (1, REPEAT('x',150))", w).ExecuteNonQueryAsync();
  var ins = s.Elapsed.TotalMilliseconds;
  var vals = new Dictionary<string,string>();
  await using (var r = await new MySqlCommand("SHOW GLOBAL STATUS WHERE Variable_name IN ('" + string.Join("','", names) + "')", c).ExecuteReaderAsync())
    while (await r.ReadAsync()) vals[r.GetString(0)] = r.GetString(1);
  string q = "";
  await using (var r = await new MySqlCommand("SELECT LEFT(REPLACE(info,'\n',' '),60) FROM information_schema.PROCESSLIST WHERE user='swap' AND command='Query' AND info IS NOT NULL AND info NOT LIKE '%PROCESSLIST%' ORDER BY time DESC LIMIT 1", c).ExecuteReaderAsync())
    if (await r.ReadAsync() && !r.IsDBNull(0)) q = r.GetString(0);
  Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff}\t{t0.TotalSeconds:F2}\t{ins:F1}\t" + string.Join("\t", names.Select(n => vals.GetValueOrDefault(n,""))) + "\t" + q);
  var wait = TimeSpan.FromMilliseconds(double.Parse(Environment.GetEnvironmentVariable("PROBE_MS") ?? "100")) - (sw.Elapsed - t0);
  if (wait > TimeSpan.Zero) await Task.Delay(wait);
}
