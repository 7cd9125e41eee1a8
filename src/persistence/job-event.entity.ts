import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One step of a job's history, written once per step sequence number (the audit log). */
@Entity({ name: 'job_events' })
@Index('uq_job_events_job_seq', ['jobId', 'seq'], { unique: true })
export class JobEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'job_id' })
  jobId!: string;

  @Column('int')
  seq!: number;

  @Column('varchar', { length: 32 })
  status!: string;

  @Column('varchar', { length: 64 })
  step!: string;

  @Column('text', { nullable: true })
  message!: string | null;

  @Column('jsonb', { nullable: true })
  details!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
