import { formatCount } from "@/lib/analytics/format";
import type { HourCell } from "@/lib/analytics/metrics";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAY_NAMES = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];

const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
const slot = (hour: number) => `${hourLabel(hour)}–${hourLabel((hour + 1) % 24)}`;

/**
 * Incoming messages per local weekday × hour. The grid is drawn for sighted users (each cell has a
 * tooltip); screen readers get a summary and the same numbers as a table.
 */
export function HourHeatmap({ hours, timezone }: { hours: HourCell[]; timezone: string }) {
  const max = Math.max(0, ...hours.map((cell) => cell.incoming));
  const busiest = [...hours]
    .sort((a, b) => b.incoming - a.incoming)
    .slice(0, 3)
    .filter((cell) => cell.incoming > 0);
  const summary =
    busiest.length > 0
      ? `Busiest hours (${timezone}): ${busiest
          .map((cell) => `${WEEKDAY_NAMES[cell.weekday - 1]} ${slot(cell.hour)}, ${formatCount(cell.incoming)} messages`)
          .join("; ")}.`
      : "No customer messages in this range.";
  const byWeekday = WEEKDAYS.map((_, index) => hours.filter((cell) => cell.weekday === index + 1));

  return (
    <figure>
      <p className="text-xs text-slate-500" data-testid="heatmap-summary">
        {summary}
      </p>
      <div className="mt-3 overflow-x-auto pb-1" aria-hidden>
        <div className="grid min-w-[380px] grid-cols-[2rem_repeat(24,minmax(0,1fr))] gap-[3px] text-[10px] text-slate-500">
          <span />
          {Array.from({ length: 24 }, (_, hour) => (
            <span key={hour} className="text-center">
              {hour % 3 === 0 ? hour : ""}
            </span>
          ))}
          {byWeekday.map((cells, index) => (
            <div key={WEEKDAYS[index]} className="contents">
              <span className="self-center pr-1 font-medium">{WEEKDAYS[index]}</span>
              {cells.map((cell) => {
                const intensity = max > 0 ? cell.incoming / max : 0;
                return (
                  <span
                    key={cell.hour}
                    title={`${WEEKDAY_NAMES[cell.weekday - 1]} ${slot(cell.hour)}: ${formatCount(cell.incoming)} incoming, ${formatCount(cell.outgoing)} outgoing`}
                    className="aspect-square rounded-[3px]"
                    style={{
                      backgroundColor:
                        cell.incoming > 0 ? `rgba(42, 85, 224, ${(0.12 + 0.88 * intensity).toFixed(3)})` : "#f1f5f9",
                    }}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <figcaption className="mt-2 flex items-center justify-end gap-2 text-[11px] text-slate-500" aria-hidden>
        Fewer
        <span className="flex gap-[3px]">
          {[0.12, 0.34, 0.56, 0.78, 1].map((alpha) => (
            <span key={alpha} className="size-3 rounded-[3px]" style={{ backgroundColor: `rgba(42, 85, 224, ${alpha})` }} />
          ))}
        </span>
        More
      </figcaption>
      <div className="sr-only">
        <table>
          <caption>Incoming messages per weekday and hour, {timezone}</caption>
          <thead>
            <tr>
              <th scope="col">Weekday</th>
              {Array.from({ length: 24 }, (_, hour) => (
                <th key={hour} scope="col">
                  {hourLabel(hour)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {byWeekday.map((cells, index) => (
              <tr key={WEEKDAYS[index]}>
                <th scope="row">{WEEKDAY_NAMES[index]}</th>
                {cells.map((cell) => (
                  <td key={cell.hour}>{cell.incoming}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
