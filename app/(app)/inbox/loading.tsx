import { ListSkeleton, ThreadSkeleton } from "@/components/inbox/skeletons";

export default function InboxLoading() {
  return (
    <div className="flex h-full min-h-0 bg-white">
      <div className="flex w-full flex-col border-r border-slate-200 md:w-80 md:shrink-0 2xl:w-96">
        <div className="space-y-3 border-b border-slate-200 px-4 pt-4 pb-3" aria-hidden="true">
          <div className="h-6 w-20 rounded bg-slate-200" />
          <div className="h-8 rounded-md bg-slate-100" />
          <div className="h-6 w-2/3 rounded-full bg-slate-100" />
        </div>
        <ListSkeleton />
      </div>
      <div className="hidden min-w-0 flex-1 flex-col bg-slate-50 md:flex">
        <ThreadSkeleton />
      </div>
    </div>
  );
}
